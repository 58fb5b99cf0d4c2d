using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// Withdrawing the approval of quotes of a local status (FEP-044f "Revoking a previously-accepted quote post"): the
/// authorization is marked revoked (its URL answers 404 from then on), the stored quote shows the new state, and the
/// quote's author gets a <c>Delete</c> of the authorization (its URL only). The quoted status's author revokes one quote
/// (<see cref="RevokeAsync"/>, <c>revoked</c>); deleting the status revokes them all (<see cref="RevokeAllAsync"/>, <c>deleted</c>).
/// Storage per quote: 1 merge + the recount (1 range query + 1 merge) + the quote's state (1 read + 1 conditional replace)
/// + 1 queue send (remote quotes).
/// </summary>
public sealed class QuoteRevocation(QuoteStore store, StatusStore statuses, QuoteActivities activities, ActivityPublisher publisher, TimeProvider time)
{
    /// <summary>
    /// Revokes the quote <paramref name="quoteStatusId"/> of <paramref name="quotedStatusId"/>, a status of
    /// <paramref name="author"/>; the quote as it now is, or null when there is no such live status of the author's or no
    /// such standing quote of it. Storage: 1 point read + 1 range query + the revocation.
    /// </summary>
    public async Task<Status?> RevokeAsync(LocalAccount author, string quotedStatusId, string quoteStatusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        var quoted = await statuses.GetAsync(quotedStatusId, cancellationToken);
        if (quoted is not { IsLocal: true, DeletedAt: null } || quoted.AccountId != author.Id)
        {
            return null;
        }

        var authorization = (await store.ListAsync(quoted.Id, cancellationToken)).FirstOrDefault(a => a.QuoteStatusId == quoteStatusId);
        return authorization is null ? null : await RevokeOneAsync(author, authorization, QuoteState.Revoked, cancellationToken);
    }

    /// <summary>Revokes every standing quote of <paramref name="quoted"/>, which its author has deleted. 1 range query + the revocations.</summary>
    public async Task RevokeAllAsync(LocalAccount author, Status quoted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quoted);
        foreach (var authorization in await store.ListAsync(quoted.Id, cancellationToken))
        {
            await RevokeOneAsync(author, authorization, QuoteState.Deleted, cancellationToken);
        }
    }

    private async Task<Status?> RevokeOneAsync(LocalAccount author, QuoteAuthorization authorization, QuoteState state, CancellationToken cancellationToken)
    {
        await store.RevokeAsync(authorization, time.GetUtcNow(), cancellationToken);
        Status? quote = null;
        if (authorization.QuoteStatusId is { } quoteId)
        {
            quote = await statuses.EditRemoteAsync(quoteId, s => s.Quote is { } q ? s with { Quote = q with { State = state } } : null, cancellationToken)
                ?? await statuses.GetAsync(quoteId, cancellationToken);
            if (quote is { IsLocal: true, DeletedAt: null, Quote: { } local })
            {
                // A quote posted here: its row shows the new state too.
                quote = quote with { Quote = local with { State = state } };
                await statuses.ReplaceAsync(quote, cancellationToken);
            }
        }

        if (authorization.QuotingInbox is { } inbox)
        {
            var uri = activities.AuthorizationUri(author.Username, authorization.QuotedStatusId, authorization.Id);
            await publisher.SendAsync(author, activities.DeleteAuthorization(author, uri, authorization.QuotingActorId), inbox, cancellationToken);
        }

        return quote;
    }
}
