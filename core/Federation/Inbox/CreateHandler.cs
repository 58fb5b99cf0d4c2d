using System.Text.Json;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Create</c> of a note: parsed (embedded, or fetched once from the actor's own server when only referenced) and
/// handed to <see cref="RemoteStatusIngest"/>, which keeps it when it concerns a local account.
/// </summary>
public sealed class CreateHandler(RemoteObjectFetcher objects, RemoteActorResolver actors, RemoteStatusIngest ingest, FediOptions options, TimeProvider time) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var obj = activity.ObjectElement;
        if (obj.ValueKind == JsonValueKind.String)
        {
            // Only referenced (some servers send the id alone): fetch it once, signed, from its own server. An actor
            // creates notes on its own server only, so other URLs are not fetched (no requests on an attacker's behalf).
            obj = Uri.TryCreate(obj.GetString(), UriKind.Absolute, out var objUri) && ActorDocumentParser.SameOrigin(objUri, new Uri(activity.ActorId))
                ? await objects.FetchAsync(obj.GetString()!, cancellationToken) ?? default
                : default;
        }

        if (!RemoteNoteParser.IsNote(obj))
        {
            return new ActivityOutcome.Ignored("its object is not a note (embedded or fetched)");
        }

        var author = await actors.GetActorAsync(activity.ActorId, refresh: false, cancellationToken);
        if (author is null)
        {
            return new ActivityOutcome.RetryLater($"cannot fetch author {activity.ActorId}");
        }

        var (status, error) = RemoteNoteParser.Parse(obj, author, time.GetUtcNow(), options.AllowPrivateNetworks);
        if (status is null)
        {
            return new ActivityOutcome.Ignored(error!);
        }

        var addressed = RemoteNoteParser.Audience(obj, "to");
        addressed.UnionWith(RemoteNoteParser.Audience(obj, "cc"));
        return await ingest.CreateAsync(status, activity.ActorId, addressed, cancellationToken) == RemoteIngestResult.Unrelated
            ? new ActivityOutcome.Ignored("it concerns no local account")
            : ActivityOutcome.Done;
    }
}
