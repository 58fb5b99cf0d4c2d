using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/timelines/home</c>, <c>/public</c>, <c>/tag/:hashtag</c> and <c>/list/:id</c> (docs: methods/timelines).
/// Timelines are written on arrival (<see cref="TimelineStore"/>); a page is 1 range query per source timeline + 1 point
/// read per status not read in the last <see cref="StatusStore.RecentLifetime"/> by this process (in parallel) + the
/// renderer's lookups (one parallel step; a warm page: the marks' range query). Sequential steps for a warm page of
/// home, public, tag and list timelines read with a token: the token beside the range query (<see cref="ApiEndpoint"/>'s
/// early read: home's partition and a list's owner are named by the account id in front of the token; a list's ownership
/// is read beside its range query), then the parallel step; without a token: the range query, the parallel step.
/// </summary>
public sealed class TimelineApiHandler(ApiEndpoint api, TimelineStore timelines, StatusStore statuses, StatusRenderer renderer, Lists.ListStore lists, InstanceUrls urls)
{
    public Task<WireResult> HomeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = PageRequest.Parse(request.Query);
        return api.RunAsync(
            request,
            ApiAccess.Token("read:statuses"),
            accountId => ReadAsync([TimelineStore.Home(accountId!)], page, cancellationToken), // by account: always given an id
            byAccount: true,
            (r, pages) => RenderAsync(r, page, pages, _ => true, Filters.FilterContexts.Home, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// <c>/api/v1/timelines/list/:id</c>: posts of the list's members as they arrived (see <see cref="StatusSurface.PlaceInHomeAsync"/>);
    /// 404 for another account's list. The list's ownership (by the account the token names) and its range query are read
    /// beside the token; neither reaches the answer unless the token authenticates that account.
    /// </summary>
    public Task<WireResult> ListAsync(HttpRequest request, string listId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = PageRequest.Parse(request.Query);
        return api.RunAsync(
            request,
            ApiAccess.Token("read:lists"),
            accountId => ReadListAsync(accountId!, listId, page, cancellationToken), // by account: always given an id
            byAccount: true,
            (r, read) => read.Owner is null ? Task.FromResult(NotFound()) : RenderAsync(r, page, read.Pages, _ => true, Filters.FilterContexts.Home, cancellationToken),
            cancellationToken);
    }

    /// <summary>Public timeline: <c>local=true</c> only local posts, <c>remote=true</c> only remote ones, else both.</summary>
    public Task<WireResult> PublicAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = PageRequest.Parse(request.Query);
        var (local, remote) = (ApiRequest.IsFlag(request.Query, "local"), ApiRequest.IsFlag(request.Query, "remote"));
        string[] sources = local ? [TimelineStore.PublicLocal] : remote ? [TimelineStore.PublicRemote] : [TimelineStore.PublicLocal, TimelineStore.PublicRemote];
        return api.RunAsync(
            request,
            ApiAccess.OptionalToken("read:statuses"),
            _ => ReadAsync(sources, page, cancellationToken),
            byAccount: false,
            (r, pages) => RenderAsync(r, page, pages, s => s.Visibility == Visibility.Public, Filters.FilterContexts.Public, cancellationToken),
            cancellationToken);
    }

    public Task<WireResult> TagAsync(HttpRequest request, string hashtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tag = (hashtag ?? "").TrimStart('#');
        if (tag.Length == 0 || tag.Length > 100)
        {
            return api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), _ => NotFound(), cancellationToken);
        }

        var page = PageRequest.Parse(request.Query);
        var (local, remote) = (ApiRequest.IsFlag(request.Query, "local"), ApiRequest.IsFlag(request.Query, "remote"));
        return api.RunAsync(
            request,
            ApiAccess.OptionalToken("read:statuses"),
            _ => ReadAsync([TimelineStore.Tag(tag)], page, cancellationToken),
            byAccount: false,
            (r, pages) => RenderAsync(r, page, pages, s => s.Visibility == Visibility.Public && (!local || s.IsLocal) && (!remote || !s.IsLocal), Filters.FilterContexts.Public, cancellationToken),
            cancellationToken);
    }

    /// <summary>The list of <paramref name="accountId"/> named <paramref name="listId"/> (null: none of theirs) and its timeline's page, read in parallel.</summary>
    private async Task<(Lists.AccountList? Owner, IReadOnlyList<string>[] Pages)> ReadListAsync(string accountId, string listId, PageRequest page, CancellationToken cancellationToken)
    {
        var owner = lists.GetAsync(accountId, listId, cancellationToken);
        var pages = ReadAsync([TimelineStore.List(listId)], page, cancellationToken);
        await Task.WhenAll(owner, pages);
        return (await owner, await pages);
    }

    /// <summary>The page of each source timeline (1 range query each, in parallel).</summary>
    private Task<IReadOnlyList<string>[]> ReadAsync(IReadOnlyList<string> sources, PageRequest page, CancellationToken cancellationToken) =>
        Task.WhenAll(sources.Select(t => timelines.PageAsync(t, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken)));

    /// <summary>Merges the source timelines' pages newest first, loads, filters and renders the statuses.</summary>
    private async Task<WireResult> RenderAsync(ApiRequest r, PageRequest page, IReadOnlyList<string>[] pages, Func<Status, bool> keep, string filterContext, CancellationToken cancellationToken)
    {
        var ids = pages.SelectMany(p => p).Distinct(StringComparer.Ordinal).OrderByDescending(id => id, StringComparer.Ordinal).Take(page.Limit).ToList();
        var onlyMedia = r.Flag("only_media");
        var loaded = await statuses.GetManyRecentAsync(ids, cancellationToken);
        var visible = await renderer.VisibleAsync(loaded.Where(s => keep(s) && (!onlyMedia || s.Media.Count > 0 || s.RemoteMedia.Count > 0)), r.Viewer, cancellationToken);
        var shown = await renderer.ListAsync(visible, r.Viewer, cancellationToken, filterContext);
        // Links follow the timeline's ids (not the visible ones), so filtered entries never end pagination early.
        return Ok(shown, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, r.Http, page, ids));
    }
}
