using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// A remote author's <c>Delete</c> of the <c>QuoteAuthorization</c> that approved a quote of their status (FEP-044f
/// "Revoking a previously-accepted quote post"; Mastodon 4.5 makes such a quote <c>revoked</c>, a pending one
/// <c>rejected</c>, and notifies nobody). The quote is found through the authorization's index row
/// (<see cref="QuoteStore.IndexAuthorizationAsync"/>) and changes only when the deleting actor is the quoted status's
/// author and the quote still names that authorization. One of our quotes stops carrying <c>quoteAuthorization</c>
/// and its followers get the Note again in an <c>Update</c>. Storage: 1 point read (the index) + 1 point read (the
/// quote's id, remote quotes) + 1 point read (the quote) + 1-2 reads (the quoted author; +1 point read of the quoted
/// status for remote quotes); then our quote: 1-2 reads (its author) + the replace (1 upsert + 1-2 copies) + 1 queue
/// send, or a remote quote: 1 read + 1 conditional replace.
/// </summary>
public sealed class RemoteQuoteRevocation(QuoteStore store, StatusStore statuses, InstanceUrls urls, AccountDirectory directory, AccountStore accounts, StatusPublisher publisher)
{
    /// <summary>Revokes the quote <paramref name="authorizationUri"/> approved; false when it approves no quote here, or <paramref name="actorId"/> did not give it.</summary>
    public async Task<bool> RevokeAsync(string? authorizationUri, string actorId, CancellationToken cancellationToken)
    {
        var quoteUri = authorizationUri is null ? null : await store.GetQuoteUriByAuthorizationAsync(authorizationUri, cancellationToken);
        var quoteId = quoteUri is null ? null : urls.StatusIdOf(quoteUri) ?? await statuses.GetIdByUriAsync(quoteUri, cancellationToken);
        var status = quoteId is null ? null : await statuses.GetAsync(quoteId, cancellationToken);
        if (status is not { DeletedAt: null, Quote: { State: QuoteState.Accepted or QuoteState.Pending } quote } || quote.AuthorizationUri != authorizationUri
            || await QuotedAuthorAsync(quote, cancellationToken) != actorId)
        {
            return false;
        }

        var revoked = quote with { State = quote.State == QuoteState.Accepted ? QuoteState.Revoked : QuoteState.Rejected };
        if (!status.IsLocal)
        {
            await statuses.EditRemoteAsync(status.Id, s => s.Quote?.AuthorizationUri == authorizationUri ? s with { Quote = revoked } : null, cancellationToken);
            return true;
        }

        if (await accounts.GetByIdAsync(status.AccountId, cancellationToken) is not { } author)
        {
            return false;
        }

        var updated = status with { Quote = revoked };
        await statuses.ReplaceAsync(updated, cancellationToken);
        await publisher.PublishUpdateAsync(status, updated, author, cancellationToken);
        return true;
    }

    private async Task<string?> QuotedAuthorAsync(StatusQuote quote, CancellationToken cancellationToken)
    {
        var accountId = quote.QuotedAccountId
            ?? (quote.QuotedStatusId is { } id ? (await statuses.GetAsync(id, cancellationToken))?.AccountId : null);
        return accountId is null ? null : (await directory.GetByApiIdAsync(accountId, cancellationToken))?.ActorId;
    }
}
