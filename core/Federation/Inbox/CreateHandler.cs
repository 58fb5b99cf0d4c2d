using System.Text.Json;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Create</c> of a note: parsed (embedded, or fetched once from the actor's own server when only referenced) and
/// handed to <see cref="RemoteStatusIngest"/>, which keeps it when it concerns a local account; a vote on a local poll
/// (<see cref="PollVoteReader"/>) is counted instead. A quote's authorization is verified first (<see cref="QuoteVerifier"/>).
/// </summary>
public sealed class CreateHandler(RemoteObjectFetcher objects, InboundNoteReader notes, RemoteStatusIngest ingest, PollVoteReader votes, QuoteVerifier quotes) : IActivityHandler
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

        if (await votes.TryCountAsync(obj, activity.ActorId, cancellationToken) is { } voted)
        {
            return voted;
        }

        var (status, refusal) = await notes.ReadAsync(obj, activity.ActorId, cancellationToken);
        if (status is null)
        {
            return refusal!;
        }

        status = status with { Quote = await quotes.VerifyAsync(status, activity.ActorId, cancellationToken) };
        var addressed = RemoteNoteParser.Audience(obj, "to");
        addressed.UnionWith(RemoteNoteParser.Audience(obj, "cc"));
        return await ingest.CreateAsync(status, activity.ActorId, addressed, cancellationToken, RemotePollParser.Parse(obj)?.Tally) == RemoteIngestResult.Unrelated
            ? new ActivityOutcome.Ignored("it concerns no local account")
            : ActivityOutcome.Done;
    }
}
