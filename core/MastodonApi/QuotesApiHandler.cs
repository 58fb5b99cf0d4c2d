using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.Quotes;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Quotes of the caller's statuses (Mastodon 4.5, docs: methods/statuses#quotes, #revoke_quote):
/// <c>GET /api/v1/statuses/:id/quotes</c> lists the accepted quotes of one of the caller's own statuses (404 for anyone
/// else's), newest first, paged as Mastodon's lists are (<see cref="PageRequest"/>: <c>limit</c> 20, at most 40,
/// <c>max_id</c>/<c>since_id</c>/<c>min_id</c> by the quotes' ids; <see cref="PageLinks"/>);
/// <c>POST /api/v1/statuses/:id/quotes/:quote_id/revoke</c> withdraws one (<see cref="QuoteRevocation"/>) and
/// answers the quote, now <c>revoked</c>; 404 for a status that is not the caller's or a quote that is not of it.
/// Storage: 1 point read (status) + 1 range query (all the status's authorizations: they are keyed by quote, not by
/// time) + 1 point read per quote on the page + the rendering.
/// <c>PUT /api/v1/statuses/:id/interaction_policy</c> (Mastodon 4.5, docs: methods/statuses#interaction_policy) sets who
/// may quote one of the caller's statuses.
/// </summary>
public sealed class QuotesApiHandler(ApiEndpoint api, StatusStore statuses, QuoteStore quotes, QuoteRevocation revocation, StatusRenderer renderer, StatusPublisher publisher, Configuration.InstanceUrls urls)
{
    public Task<WireResult> ListAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            if (status is not { IsLocal: true, DeletedAt: null } || status.AccountId != r.Account.Id)
            {
                return NotFound();
            }

            var page = r.Page();
            var inRange = (await quotes.ListAsync(status.Id, cancellationToken)).Select(a => a.QuoteStatusId).OfType<string>().Where(page.Contains)
                .Distinct(StringComparer.Ordinal).Order(Comparer<string>.Create(PageRequest.Compare)).Reverse().ToList();
            var ids = page.ReadsForward ? inRange.TakeLast(page.Limit).ToList() : inRange.Take(page.Limit).ToList();
            var found = (await statuses.GetManyAsync(ids, cancellationToken)).OrderByDescending(s => s.Id, Comparer<string>.Create(PageRequest.Compare)).ToList();
            var shown = await renderer.ListAsync(await renderer.VisibleAsync(found, r.Account, cancellationToken), r.Account, cancellationToken);
            return Ok(shown, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, request, page, ids));
        }, cancellationToken);

    public Task<WireResult> RevokeAsync(HttpRequest request, string id, string quoteId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses"), async r =>
        {
            var quote = await revocation.RevokeAsync(r.Account, id, quoteId, cancellationToken);
            return quote is not null && await renderer.ShowAsync(quote, r.Account, cancellationToken) is { } shown ? Ok(shown, Wire.Status) : NotFound();
        }, cancellationToken);

    /// <summary>
    /// Stores <c>quote_approval_policy</c> (<c>public</c>, <c>followers</c>, <c>nobody</c>; left out: <c>public</c>, the
    /// default) on one of the caller's statuses and answers the status; 404 for a status that is not the caller's, 422
    /// for another value. A followers-only or direct status takes any value but stays quotable by nobody, as Mastodon
    /// downgrades its policy. When the effective policy changed, followers get the Note in an <c>Update</c> (its
    /// <c>interactionPolicy</c>); later QuoteRequests follow the new policy, quotes approved before stand.
    /// Storage: 1 point read + (changed) the replace (1 upsert + 1-2 copies) + (effective change) 1 queue send + the rendering.
    /// </summary>
    public Task<WireResult> UpdatePolicyAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            if (status is not { IsLocal: true, DeletedAt: null, ReblogOfId: null } || status.AccountId != r.Account.Id)
            {
                return NotFound();
            }

            var text = r.Parameters.Get("quote_approval_policy");
            if (!QuotePolicies.TryParse(text, out var policy))
            {
                return Invalid($"Quote approval policy '{text}' is not one of public, followers, nobody");
            }

            var updated = status with { QuotePolicy = policy ?? QuotePolicy.Public };
            if (updated.QuotePolicy != status.QuotePolicy)
            {
                await statuses.ReplaceAsync(updated, cancellationToken);
            }

            if (QuotePolicies.Effective(updated) != QuotePolicies.Effective(status))
            {
                await publisher.PublishUpdateAsync(status, updated, r.Account, cancellationToken);
            }

            return await renderer.ShowAsync(updated, r.Account, cancellationToken) is { } shown ? Ok(shown, Wire.Status) : NotFound();
        }, cancellationToken);
}
