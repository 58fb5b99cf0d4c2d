using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/accounts/*</c> reads (docs: methods/accounts): an account, lookup, search, its statuses, followers and
/// following. Accounts are local or remote (cached actors); ids name either (<see cref="AccountDirectory"/>). Errors:
/// 401/403 from auth, 404 for unknown accounts, 400 for a missing <c>acct</c>. Relationships: <see cref="RelationshipsApiHandler"/>.
/// </summary>
public sealed class AccountsApiHandler(
    ApiEndpoint api,
    AccountDirectory directory,
    AccountSearch search,
    StatusStore statuses,
    InteractionStore interactions,
    FollowerStore followers,
    FollowingStore following,
    StatusRenderer renderer,
    AccountPresenter presenter,
    InstanceUrls urls)
{
    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
            await directory.GetByApiIdAsync(id, cancellationToken) is { } account ? Ok(await presenter.RenderAsync(account, cancellationToken), Wire.Account) : NotFound(), cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/accounts/lookup?acct=</c>: local by username; remote from the cache, resolved by WebFinger only for
    /// a signed-in caller (an anonymous request never makes this server fetch anything, as Mastodon's lookup never does).
    /// </summary>
    public Task<WireResult> LookupAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
        {
            var acct = r.Query("acct").Trim().TrimStart('@');
            if (acct.Length == 0)
            {
                return BadRequest("Missing parameter: acct");
            }

            return await search.FindByAcctAsync(acct, resolve: r.Viewer is not null, cancellationToken) is { } account ? Ok(await presenter.RenderAsync(account, cancellationToken), Wire.Account) : NotFound();
        }, cancellationToken);

    /// <summary><c>GET /api/v1/accounts/search?q=</c>: local accounts by username or display name prefix; a full handle resolves remotely when <c>resolve=true</c>.</summary>
    public Task<WireResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), async r =>
        {
            var found = await search.SearchAsync(r.Query("q").Trim(), r.Flag("resolve"), r.Limit(40, 80), cancellationToken);
            return Ok([.. found.Select(presenter.ToAccount)], Wire.IReadOnlyListAccount);
        }, cancellationToken);

    public Task<WireResult> StatusesAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), async r =>
        {
            var account = await directory.GetByApiIdAsync(id, cancellationToken);
            if (account is null)
            {
                return NotFound();
            }

            var page = r.Page();
            IReadOnlyList<Status> items;
            if (r.Flag("pinned"))
            {
                var pinned = account.Local is null ? [] : await interactions.ListMarkedAsync(account.ApiId, InteractionKind.Pin, page.MaxId, page.Limit, cancellationToken);
                items = await statuses.GetManyAsync(pinned, cancellationToken);
            }
            else
            {
                var excludeReplies = r.Flag("exclude_replies");
                var tagged = r.Query("tagged").TrimStart('#').ToLowerInvariant();
                var onlyMedia = r.Flag("only_media");
                var excludeReblogs = r.Flag("exclude_reblogs");
                var raw = await statuses.GetAccountStatusesPageAsync(account.ApiId, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken);
                items = raw.Where(s => (!excludeReplies || s.InReplyToId is null || s.InReplyToAccountId == s.AccountId)
                    && (tagged.Length == 0 || s.Tags.Contains(tagged))
                    && (!onlyMedia || s.Media.Count > 0 || s.RemoteMedia.Count > 0)
                    && (!excludeReblogs || s.ReblogOfId is null)).ToList();
            }

            var visible = await renderer.VisibleAsync(items, r.Viewer, cancellationToken);
            var shown = await renderer.ListAsync(visible, r.Viewer, cancellationToken, Filters.FilterContexts.Account);
            return Ok(shown, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, request, page, visible.Select(s => s.Id).ToList()));
        }, cancellationToken);

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
    private Task<WireResult> RelatedAccountsAsync(
        HttpRequest request, string id, Func<AccountRef, string?, int, Task<(IReadOnlyList<AccountRef?> Accounts, string? Next)>> read, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
        {
            var account = await directory.GetByApiIdAsync(id, cancellationToken);
            if (account is null)
            {
                return NotFound();
            }

            var cursor = r.Query("cursor");
            var (accounts, next) = await read(account, cursor.Length == 0 ? null : cursor, r.Limit(40, 80));
            return CursorLinks(Ok([.. accounts.OfType<AccountRef>().Select(presenter.ToAccount)], Wire.IReadOnlyListAccount), request, next);
        }, cancellationToken);

    /// <summary>A page of local accounts by id (few on an instance, so read whole and sliced here); the cursor is the last id.</summary>
    private async Task<(IReadOnlyList<AccountRef?> Accounts, string? Next)> KnownLocalAsync(IReadOnlyList<string> accountIds, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var ordered = accountIds.Order(StringComparer.Ordinal).Where(a => cursor is null || string.CompareOrdinal(a, cursor) > 0).ToList();
        var page = ordered.Take(limit).ToList();
        var refs = await Task.WhenAll(page.Select(a => directory.GetByApiIdAsync(a, cancellationToken)));
        return (refs, ordered.Count > limit ? page[^1] : null);
    }

    private WireResult CursorLinks(WireResult result, HttpRequest request, string? next)
    {
        if (next is null)
        {
            return result;
        }

        var query = string.Join('&', request.Query.Where(kv => kv.Key != "cursor").SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}")).Append($"cursor={Uri.EscapeDataString(next)}"));
        return result.WithHeader("Link", $"<{urls.Base}{request.Path}?{query}>; rel=\"next\"");
    }
}
