using Microsoft.AspNetCore.Http;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/domain_blocks</c> (docs: methods/domain_blocks): an account hides a whole server. Blocking removes that
/// server's accounts from the account's followers (as Mastodon does) and keeps their posts out of what the account reads
/// (timelines, threads, notifications). Storage: list 1 range query; block 1 upsert + 1 range query over the followers
/// partition of that server's actors (+ 2-4 writes per follower removed); unblock 1 delete.
/// </summary>
public sealed class DomainBlocksApiHandler(ApiEndpoint api, DomainBlockStore blocks, FollowerStore followers)
{
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:blocks"), async r =>
            Ok(await blocks.ListAsync(r.Account.Id, cancellationToken), Wire.IReadOnlyListString), cancellationToken);

    public Task<WireResult> ChangeAsync(HttpRequest request, bool block, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:blocks").WithParameters(), async r =>
        {
            var domain = DomainBlockStore.Normalize(r.Parameters.Get("domain"));
            if (domain is null)
            {
                return Invalid("Domain is not a valid host name");
            }

            if (block)
            {
                await blocks.AddAsync(r.Account.Id, domain, cancellationToken);
                await RemoveFollowersOnAsync(r.Account.Id, domain, cancellationToken);
            }
            else
            {
                await blocks.RemoveAsync(r.Account.Id, domain, cancellationToken);
            }

            return Done();
        }, cancellationToken);

    /// <summary>Removes the account's followers on <paramref name="domain"/>, page by page.</summary>
    private async Task RemoveFollowersOnAsync(string accountId, string domain, CancellationToken cancellationToken)
    {
        var page = await followers.GetPageAsync(accountId, null, FollowerStore.PageSize, cancellationToken);
        string? token = page.ContinuationToken;
        while (true)
        {
            foreach (var follower in page.Followers.Where(f => f.LocalAccountId is null && DomainBlockStore.HostOf(f.ActorId) == domain))
            {
                await followers.RemoveAsync(accountId, follower.ActorId, cancellationToken);
            }

            if (token is null)
            {
                break;
            }

            page = await followers.GetPageAsync(accountId, token, FollowerStore.PageSize, cancellationToken);
            token = page.ContinuationToken;
        }
    }
}
