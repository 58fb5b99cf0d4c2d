using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/domain_blocks</c> (docs: methods/domain_blocks): an account hides a whole server. Blocking removes that
/// server's accounts from the account's followers (as Mastodon does) and keeps their posts out of what the account reads
/// (timelines, threads, notifications). Storage: list 1 range query; block 1 upsert + 1 range query over the followers
/// partition of that server's actors (+ 2-4 writes per follower removed); unblock 1 delete.
/// </summary>
public sealed class DomainBlocksApiHandler(ApiAuth auth, DomainBlockStore blocks, FollowerStore followers)
{
    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:blocks", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var domains = await blocks.ListAsync(me!.Id, cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, new JsonArray(domains.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray())).WithCors();
    }

    public async Task<WireResult> ChangeAsync(HttpRequest request, bool block, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:blocks", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var domain = DomainBlockStore.Normalize(p.Get("domain"));
        if (domain is null)
        {
            return WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: Domain is not a valid host name").WithCors();
        }

        if (block)
        {
            await blocks.AddAsync(me!.Id, domain, cancellationToken);
            var page = await followers.GetPageAsync(me.Id, null, FollowerStore.PageSize, cancellationToken);
            string? token = page.ContinuationToken;
            while (true)
            {
                foreach (var follower in page.Followers.Where(f => f.LocalAccountId is null && DomainBlockStore.HostOf(f.ActorId) == domain))
                {
                    await followers.RemoveAsync(me.Id, follower.ActorId, cancellationToken);
                }

                if (token is null)
                {
                    break;
                }

                page = await followers.GetPageAsync(me.Id, token, FollowerStore.PageSize, cancellationToken);
                token = page.ContinuationToken;
            }
        }
        else
        {
            await blocks.RemoveAsync(me!.Id, domain, cancellationToken);
        }

        return WireResult.Json(StatusCodes.Status200OK, new JsonObject()).WithCors();
    }
}
