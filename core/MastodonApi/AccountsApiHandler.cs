using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/accounts/*</c>, follow requests, blocks and mutes (docs: methods/accounts, follow_requests, blocks, mutes).
/// Accounts are local or remote (cached actors); ids name either (<see cref="AccountDirectory"/>). Errors: 401/403 from
/// auth, 404 for unknown accounts, 403 for acting on oneself, 422 for bad parameters.
/// </summary>
public sealed class AccountsApiHandler(
    ApiAuth auth,
    AccountDirectory directory,
    AccountStore accounts,
    StatusStore statuses,
    InteractionStore interactions,
    FollowerStore followers,
    FollowingStore following,
    RelationshipService relationships,
    StatusRenderer renderer,
    MastodonMapper mapper,
    AccountResolver remoteAccounts,
    InstanceUrls urls)
{
    private const int MaxRelationships = 40;

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (_, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var account = await directory.GetByApiIdAsync(id, cancellationToken);
        return account is null ? NotFound() : Ok(mapper.ToAccount(account));
    }

    /// <summary>
    /// <c>GET /api/v1/accounts/lookup?acct=</c>: local by username; remote from the cache, resolved by WebFinger only for
    /// a signed-in caller (an anonymous request never makes this server fetch anything, as Mastodon's lookup never does).
    /// </summary>
    public async Task<WireResult> LookupAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var acct = request.Query["acct"].ToString().Trim().TrimStart('@');
        if (acct.Length == 0)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, "Missing parameter: acct").WithCors();
        }

        var account = await FindByAcctAsync(acct, resolve: viewer is not null, cancellationToken);
        return account is null ? NotFound() : Ok(mapper.ToAccount(account));
    }

    /// <summary><c>GET /api/v1/accounts/search?q=</c>: local accounts by username or display name prefix; a full handle resolves remotely when <c>resolve=true</c>.</summary>
    public async Task<WireResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var q = request.Query["q"].ToString().Trim();
        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 40, 1, 80);
        var resolve = request.Query["resolve"].ToString() is "true" or "1";
        var found = await SearchAccountsAsync(q, resolve, limit, cancellationToken);
        return Ok(new JsonArray(found.Select(a => (JsonNode)mapper.ToAccount(a)).ToArray()));
    }

    /// <summary>Shared with <c>/api/v2/search</c>: local accounts by prefix (a scan of the instance's accounts, which are few), and a handle from the cache, or by WebFinger with <paramref name="resolve"/>.</summary>
    public async Task<IReadOnlyList<AccountRef>> SearchAccountsAsync(string q, bool resolve, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(q);
        var term = q.TrimStart('@');
        var result = new List<AccountRef>();
        if (term.Length == 0)
        {
            return result;
        }

        if (term.Contains('@', StringComparison.Ordinal))
        {
            if (await FindByAcctAsync(term, resolve, cancellationToken) is { } exact)
            {
                result.Add(exact);
            }

            return result;
        }

        await foreach (var account in accounts.ListAsync(cancellationToken))
        {
            if (account.Username.StartsWith(term, StringComparison.OrdinalIgnoreCase) || account.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(directory.Of(account));
                if (result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    public async Task<WireResult> StatusesAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var account = await directory.GetByApiIdAsync(id, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        var page = PageRequest.Parse(request.Query);
        var q = request.Query;
        IReadOnlyList<Status> items;
        if (q["pinned"].ToString() is "true" or "1")
        {
            var pinned = account.Local is null ? [] : await interactions.ListMarkedAsync(account.ApiId, InteractionKind.Pin, page.MaxId, page.Limit, cancellationToken);
            items = await statuses.GetManyAsync(pinned, cancellationToken);
        }
        else
        {
            // Read a little more than asked so filters (replies, visibility) still fill most pages.
            var excludeReplies = q["exclude_replies"].ToString() is "true" or "1";
            var tagged = q["tagged"].ToString().TrimStart('#').ToLowerInvariant();
            var onlyMedia = q["only_media"].ToString() is "true" or "1";
            var excludeReblogs = q["exclude_reblogs"].ToString() is "true" or "1";
            var raw = await statuses.GetAccountStatusesPageAsync(account.ApiId, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken);
            items = raw.Where(s => (!excludeReplies || s.InReplyToId is null || s.InReplyToAccountId == s.AccountId)
                && (tagged.Length == 0 || s.Tags.Contains(tagged))
                && (!onlyMedia || s.Media.Count > 0 || s.RemoteMedia.Count > 0)
                && (!excludeReblogs || s.ReblogOfId is null)).ToList();
        }

        var visible = new List<Status>();
        foreach (var s in items)
        {
            if (await renderer.CanSeeAsync(s, viewer, cancellationToken))
            {
                visible.Add(s);
            }
        }

        var json = await renderer.RenderAsync(visible, viewer, cancellationToken, Filters.FilterContexts.Account);
        return Ok(json).WithPageLinks(PageLinks.Build(urls, request, page, visible.Select(s => s.Id).ToList()));
    }

    /// <summary>
    /// Followers of an account. For a local account all of them, paged by an opaque cursor in the Link header; for a
    /// remote one the local accounts that follow it (its own collection is not crawled, as Mastodon shows only the
    /// followers it knows).
    /// </summary>
    public Task<WireResult> FollowersAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        RelatedAccountsAsync(request, id, async (account, cursor, limit) =>
        {
            if (account.Local is null)
            {
                return await KnownLocalAsync(await following.GetLocalFollowersOfAsync(account.ActorId, cancellationToken), cursor, limit, cancellationToken);
            }

            var page = await followers.GetPageAsync(account.ApiId, cursor, limit, cancellationToken);
            return (await Task.WhenAll(page.Followers.Select(f => directory.GetByActorIdAsync(f.ActorId, cancellationToken))), page.ContinuationToken);
        }, cancellationToken);

    /// <summary>What an account follows: all of it for a local account; for a remote one the local accounts it follows.</summary>
    public Task<WireResult> FollowingAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        RelatedAccountsAsync(request, id, async (account, cursor, limit) =>
        {
            if (account.Local is null)
            {
                return await KnownLocalAsync(await followers.GetFollowedAccountIdsAsync(account.ActorId, cancellationToken), cursor, limit, cancellationToken);
            }

            var (items, next) = await following.ListAsync(account.ApiId, cursor, limit, cancellationToken);
            return (await Task.WhenAll(items.Select(f => directory.GetByApiIdAsync(f.TargetAccountId, cancellationToken))), next);
        }, cancellationToken);

    /// <summary>
    /// The shared shape of followers and following: optional token, the account by API id (JSON 404 when unknown),
    /// <c>limit</c> (default 40, at most 80) and an opaque <c>cursor</c>; <paramref name="read"/> answers one page of
    /// accounts (entries that no longer resolve are skipped) and the next cursor.
    /// </summary>
    private async Task<WireResult> RelatedAccountsAsync(
        HttpRequest request, string id, Func<AccountRef, string?, int, Task<(IReadOnlyList<AccountRef?> Accounts, string? Next)>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (_, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var account = await directory.GetByApiIdAsync(id, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 40, 1, 80);
        var cursor = request.Query["cursor"].ToString();
        var (accounts, next) = await read(account, cursor.Length == 0 ? null : cursor, limit);
        var json = new JsonArray(accounts.OfType<AccountRef>().Select(a => (JsonNode)mapper.ToAccount(a)).ToArray());
        return CursorLinks(Ok(json), request, next);
    }

    /// <summary>A page of local accounts by id (few on an instance, so read whole and sliced here); the cursor is the last id.</summary>
    private async Task<(IReadOnlyList<AccountRef?> Accounts, string? Next)> KnownLocalAsync(IReadOnlyList<string> accountIds, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var ordered = accountIds.Order(StringComparer.Ordinal).Where(a => cursor is null || string.CompareOrdinal(a, cursor) > 0).ToList();
        var page = ordered.Take(limit).ToList();
        var refs = await Task.WhenAll(page.Select(a => directory.GetByApiIdAsync(a, cancellationToken)));
        return (refs, ordered.Count > limit ? page[^1] : null);
    }

    /// <summary><c>GET /api/v1/accounts/relationships?id[]=</c>: one Relationship per known id, in the order asked.</summary>
    public async Task<WireResult> RelationshipsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:follows", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var ids = p.GetAll("id").Distinct(StringComparer.Ordinal).Take(MaxRelationships).ToList();
        var targets = await Task.WhenAll(ids.Select(id => directory.GetByApiIdAsync(id, cancellationToken)));
        var rels = await Task.WhenAll(targets.OfType<AccountRef>().Select(t => relationships.GetAsync(me!, t, cancellationToken)));
        return Ok(new JsonArray(rels.Select(r => (JsonNode)MastodonMapper.ToRelationship(r)).ToArray()));
    }

    /// <summary>POST follow, unfollow, block, unblock, mute, unmute, remove_from_followers: answers the new Relationship.</summary>
    public async Task<WireResult> ActAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        var scope = action switch
        {
            "block" or "unblock" => "write:blocks",
            "mute" or "unmute" => "write:mutes",
            _ => "write:follows",
        };
        var (me, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var target = await directory.GetByApiIdAsync(id, cancellationToken);
        if (target is null)
        {
            return NotFound();
        }

        if (target.ApiId == me!.Id)
        {
            return WireResult.Error(StatusCodes.Status403Forbidden, "This action is not allowed").WithCors();
        }

        switch (action)
        {
            case "follow":
                if (await following.HasRelationAsync(RelationshipService.BlockedBy, me.Id, target.ActorId, cancellationToken)
                    || await following.HasRelationAsync(RelationshipService.Block, me.Id, target.ActorId, cancellationToken))
                {
                    return WireResult.Error(StatusCodes.Status403Forbidden, "This action is not allowed").WithCors();
                }

                var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
                if (p is null)
                {
                    return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
                }

                await relationships.FollowAsync(me, target, p.GetBool("reblogs"), cancellationToken);
                break;
            case "unfollow":
                await relationships.UnfollowAsync(me, target, cancellationToken);
                break;
            case "remove_from_followers":
                await followers.RemoveAsync(me.Id, target.ActorId, cancellationToken);
                if (target.Local is { } local)
                {
                    await following.RemoveAsync(local.Id, urls.Actor(me.Username), cancellationToken);
                }

                break;
            case "block":
                await relationships.BlockAsync(me, target, cancellationToken);
                break;
            case "unblock":
                await relationships.UnblockAsync(me, target, cancellationToken);
                break;
            case "mute":
                await relationships.SetMuteAsync(me, target, on: true, cancellationToken);
                break;
            case "unmute":
                await relationships.SetMuteAsync(me, target, on: false, cancellationToken);
                break;
            default:
                return NotFound();
        }

        return Ok(MastodonMapper.ToRelationship(await relationships.GetAsync(me, target, cancellationToken)));
    }

    /// <summary><c>GET /api/v1/follow_requests</c>: accounts waiting for the (locked) account's approval.</summary>
    public async Task<WireResult> FollowRequestsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:follows", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 40, 1, 80);
        var pending = await followers.ListRequestsAsync(me!.Id, limit, cancellationToken);
        var refs = await Task.WhenAll(pending.Select(r => directory.GetByActorIdAsync(r.ActorId, cancellationToken)));
        return Ok(new JsonArray(refs.OfType<AccountRef>().Select(a => (JsonNode)mapper.ToAccount(a)).ToArray()));
    }

    /// <summary>POST <c>/api/v1/follow_requests/:id/authorize</c> or <c>/reject</c>: answers the Relationship; 404 when no such request.</summary>
    public async Task<WireResult> AnswerFollowRequestAsync(HttpRequest request, string id, bool authorize, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:follows", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var requester = await directory.GetByApiIdAsync(id, cancellationToken);
        if (requester is null)
        {
            return NotFound();
        }

        var done = authorize
            ? await relationships.AuthorizeAsync(me!, requester, cancellationToken)
            : await relationships.RejectAsync(me!, requester, cancellationToken);
        return done ? Ok(MastodonMapper.ToRelationship(await relationships.GetAsync(me!, requester, cancellationToken))) : NotFound();
    }

    /// <summary><c>GET /api/v1/blocks</c> and <c>/api/v1/mutes</c>.</summary>
    public async Task<WireResult> RelationListAsync(HttpRequest request, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (me, _, failure) = await auth.AuthenticateAsync(request, kind == RelationshipService.Block ? "read:blocks" : "read:mutes", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 40, 1, 80);
        var ids = await following.ListRelationAsync(kind, me!.Id, limit, cancellationToken);
        var refs = await Task.WhenAll(ids.Select(id => directory.GetByApiIdAsync(id, cancellationToken)));
        return Ok(new JsonArray(refs.OfType<AccountRef>().Select(a => (JsonNode)mapper.ToAccount(a)).ToArray()));
    }

    private async Task<AccountRef?> FindByAcctAsync(string acct, bool resolve, CancellationToken cancellationToken)
    {
        var at = acct.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? acct : acct[..at];
        var domain = at < 0 ? null : acct[(at + 1)..];
        if (domain is null || IsLocalDomain(domain))
        {
            var local = await accounts.GetByUsernameAsync(user, cancellationToken);
            return local is null ? null : directory.Of(local);
        }

        if (user.Length == 0 || domain.Length == 0 || domain.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var remote = resolve
            ? await remoteAccounts.ResolveHandleAsync(user, domain, cancellationToken)
            : await remoteAccounts.FindByHandleAsync(user, domain, cancellationToken);
        return remote is null ? null : AccountDirectory.Of(remote);
    }

    private bool IsLocalDomain(string domain) =>
        string.Equals(domain, urls.AccountDomain, StringComparison.OrdinalIgnoreCase) || string.Equals(domain, urls.WebDomain, StringComparison.OrdinalIgnoreCase);


    private WireResult CursorLinks(WireResult result, HttpRequest request, string? next)
    {
        if (next is null)
        {
            return result;
        }

        var query = string.Join('&', request.Query.Where(kv => kv.Key != "cursor").SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}")).Append($"cursor={Uri.EscapeDataString(next)}"));
        return result.WithHeader("Link", $"<{urls.Base}{request.Path}?{query}>; rel=\"next\"");
    }

    private static WireResult Ok(JsonNode json) => WireResult.Json(StatusCodes.Status200OK, json).WithCors();

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
}
