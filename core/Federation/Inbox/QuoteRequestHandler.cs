using System.Text.Json;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Quotes;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>QuoteRequest</c> (FEP-044f) for a local status: its <c>object</c> the quoted status, its <c>instrument</c> the quote,
/// embedded or fetched once from the requester's own server. The quote must be the requester's (attributed to it, on its
/// origin), else the request is ignored. Approved as the status's policy says (<see cref="QuoteApprovals"/>): answered
/// with an <c>Accept</c> whose <c>result</c> is the authorization's URL; refused with a <c>Reject</c> that is the same for a
/// status that does not exist, one the requester may not see and one it may not quote, so the answer reveals nothing.
/// Storage: 1-2 reads (author) + actor (cached: 1 read) + 1 point read (status) + the decision and the authorization
/// (<see cref="QuoteApprovals"/>) + 1 queue send (the answer).
/// </summary>
public sealed class QuoteRequestHandler(
    InstanceUrls urls,
    AccountStore accounts,
    StatusStore statuses,
    RemoteActorResolver actors,
    RemoteObjectFetcher objects,
    InboundNoteReader notes,
    QuoteApprovals approvals,
    QuoteActivities activities,
    ActivityPublisher publisher) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var quotedUri = activity.ObjectId;
        var target = urls.StatusOf(quotedUri);
        if (target is null || await accounts.GetByUsernameAsync(target.Value.Username, cancellationToken) is not { } author)
        {
            return new ActivityOutcome.Ignored("its object is not a status of a local account");
        }

        var instrument = activity.Activity.TryGetProperty("instrument", out var i) ? i : default;
        var quoteUri = instrument.ValueKind == JsonValueKind.String ? instrument.GetString() : instrument.ValueKind == JsonValueKind.Object ? ActorDocumentParser.String(instrument, "id") : null;
        if (quoteUri is null || !Uri.TryCreate(quoteUri, UriKind.Absolute, out var quoteUrl) || !ActorDocumentParser.SameOrigin(quoteUrl, new Uri(activity.ActorId)))
        {
            return new ActivityOutcome.Ignored("its quote is not on the requester's server");
        }

        var requester = await actors.GetActorAsync(activity.ActorId, refresh: false, cancellationToken);
        if (requester is null)
        {
            return new ActivityOutcome.RetryLater($"cannot fetch requester {activity.ActorId}");
        }

        // Only referenced: fetched once from its own server (checked above to be the requester's).
        var note = instrument.ValueKind == JsonValueKind.Object ? instrument : await objects.FetchAsync(quoteUri, cancellationToken) ?? default;
        var (quote, refusal) = RemoteNoteParser.IsNote(note) ? await notes.ReadAsync(note, activity.ActorId, cancellationToken) : (null, new ActivityOutcome.Ignored("its quote is not a note"));
        if (quote is null || quote.Uri != quoteUri)
        {
            return refusal ?? new ActivityOutcome.Ignored("its quote is not the note it names");
        }

        var request = QuoteActivities.Request(activity.Id, activity.ActorId, quotedUri!, quoteUri);
        var quoted = await statuses.GetAsync(target.Value.StatusId, cancellationToken);
        if (!await approvals.AllowsAsync(author, quoted, activity.ActorId, cancellationToken))
        {
            await publisher.SendAsync(author, activities.Reject(author, request), requester.Inbox, cancellationToken);
            return ActivityOutcome.Done;
        }

        var authorization = await approvals.AuthorizeAsync(author, quoted!, quotedUri!, quote, requester, id => activities.AuthorizationUri(author.Username, quoted!.Id, id), cancellationToken);
        var answer = authorization.RevokedAt is null
            ? activities.Accept(author, request, activities.AuthorizationUri(author.Username, quoted!.Id, authorization.Id))
            : activities.Reject(author, request);
        await publisher.SendAsync(author, answer, requester.Inbox, cancellationToken);
        return ActivityOutcome.Done;
    }
}
