using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Federates a local status (write, then enqueue): its <c>Create</c>, <c>Update</c> and <c>Delete</c> go to the author's
/// followers (not for direct statuses) and to the inboxes of the remote accounts it mentions, each delivery carrying
/// what it is about (<see cref="DeliverySubject"/>, re-checked on every attempt); the post guard that
/// finishes a post whose request died. Storage: 1 queue send (+1 blob put for a large activity); a reply to a remote
/// status + 1-2 reads (its author's inbox). A Create or Update whose first link is not the card's asks for its preview
/// card too (<see cref="Cards.CardRequests"/>: +1 queue send): cards are this server's own, not federated.
/// </summary>
public sealed class StatusPublisher(NoteMapper notes, ActivityPublisher publisher, AccountDirectory directory, Cards.CardRequests cards, Quotes.QuoteRevocation quotes, Quotes.QuoteApprovals approvals, QuoteActivities quoteActivities)
{
    /// <summary>
    /// The Create; the author of a remote post it replies to gets it even without following the author. Its first fan-out
    /// message records the posting request's <paramref name="audit"/> row when given, and is the post's
    /// <paramref name="guard"/> turned into it when given: last, after the card and the quote are asked for, so that a
    /// request dying before it leaves all of them to the guard.
    /// </summary>
    public async Task PublishCreateAsync(Status status, LocalAccount author, Status? parent, CancellationToken cancellationToken, Team.PendingAudit? audit = null, QueueReceipt? guard = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var inboxes = RemoteInboxes(status);
        if (parent is { IsLocal: false } && status.Visibility != Visibility.Direct && await directory.GetByApiIdAsync(parent.AccountId, cancellationToken) is { DeliveryInbox: { } parentInbox } && !inboxes.Contains(parentInbox))
        {
            inboxes.Add(parentInbox);
        }

        await cards.RequestAsync(status, cancellationToken);
        await RequestQuoteAsync(status, author, cancellationToken);
        await publisher.PublishStatusAsync(author, status, notes.Create(status, author), inboxes, skipFollowers: status.Visibility == Visibility.Direct, cancellationToken, audit, guard);
    }

    /// <summary>
    /// A quote's approval (FEP-044f): a local quoted status's authorization is recorded at once; the author of a remote
    /// one gets our <c>QuoteRequest</c> (the Note embedded). Idempotent (a finished post runs it again harmlessly).
    /// Storage: local: <see cref="Quotes.QuoteApprovals.AuthorizeLocalAsync"/>; remote: 1-2 reads (the author) + 1 queue send.
    /// </summary>
    private async Task RequestQuoteAsync(Status status, LocalAccount author, CancellationToken cancellationToken)
    {
        if (status.Quote is not { QuotedAccountId: { } quotedAccountId, QuotedStatusId: { } quotedStatusId } quote
            || await directory.GetByApiIdAsync(quotedAccountId, cancellationToken) is not { } quotedAuthor)
        {
            return;
        }

        if (quotedAuthor.Local is { } local && quote.State == Quotes.QuoteState.Accepted)
        {
            await approvals.AuthorizeLocalAsync(local, quotedStatusId, status, author, notes.StatusUri(status, author), cancellationToken);
        }
        else if (quotedAuthor.Remote is { } remote && quote.State == Quotes.QuoteState.Pending)
        {
            await publisher.SendAsync(author, quoteActivities.QuoteRequest(author, notes.ToNote(status, author), quote.QuotedUri, remote.Id), remote.Inbox, cancellationToken);
        }
    }

    /// <summary>The Update (with <c>updated</c>), to the followers and to the inboxes mentioned before or after the edit.</summary>
    public async Task PublishUpdateAsync(Status before, Status updated, LocalAccount author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(updated);
        var inboxes = RemoteInboxes(updated);
        inboxes.AddRange(RemoteInboxes(before).Where(i => !inboxes.Contains(i)));
        await publisher.PublishStatusAsync(author, updated, notes.Update(updated, author), inboxes, skipFollowers: updated.Visibility == Visibility.Direct, cancellationToken);
        await cards.RequestAsync(updated, cancellationToken);
    }

    /// <summary>
    /// The Delete, after the status's quote authorizations are revoked (each quote's author gets the Delete of its
    /// authorization: <see cref="Quotes.QuoteRevocation.RevokeAllAsync"/>, + 1 range query).
    /// </summary>
    public async Task PublishDeleteAsync(Status status, LocalAccount author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await quotes.RevokeAllAsync(author, status, cancellationToken);
        await publisher.PublishStatusAsync(author, status, notes.Delete(status, author), RemoteInboxes(status), skipFollowers: status.Visibility == Visibility.Direct, cancellationToken);
    }

    /// <summary>The guard sent before a post is stored (<see cref="ActivityPublisher.GuardStatusAsync"/>).</summary>
    public Task<QueueReceipt> GuardAsync(string accountId, string statusId, Team.PendingAudit? audit, CancellationToken cancellationToken) =>
        publisher.GuardStatusAsync(accountId, statusId, audit, cancellationToken);

    private static List<string> RemoteInboxes(Status status) =>
        status.Mentions.Select(m => m.Inbox).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
