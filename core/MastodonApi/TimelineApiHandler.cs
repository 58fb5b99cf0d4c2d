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
/// home, public and tag timelines read with a token: the token beside the range query (<see cref="ApiEndpoint"/>'s early
/// read: home's partition is named by the account id in front of the token), then the parallel step; a list's: the
/// token, the range query beside the list's ownership, the parallel step; without a token: the range query, the parallel step.
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

    /// <summary><c>/api/v1/timelines/list/:id</c>: posts of the list's members as they arrived (see <see cref="StatusSurface.PlaceInHomeAsync"/>); 404 for another account's list.</summary>
    public Task<WireResult> ListAsync(HttpRequest request, string listId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:lists"), r =>
            PageAsync(r, [TimelineStore.List(listId)], _ => true, Filters.FilterContexts.Home, cancellationToken, lists.GetAsync(r.Account.Id, listId, cancellationToken)), cancellationToken);

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

    /// <summary>
    /// Reads each source timeline's page, merges them newest first, loads, filters and renders the statuses;
    /// <paramref name="owner"/> (a list's ownership, read beside the range query) answers 404 when it finds nothing.
    /// </summary>
    private async Task<WireResult> PageAsync(ApiRequest r, IReadOnlyList<string> sources, Func<Status, bool> keep, string filterContext, CancellationToken cancellationToken, Task<Lists.AccountList?>? owner = null)
    {
        var page = r.Page();
        var pages = await ReadAsync(sources, page, cancellationToken);
        if (owner is not null && await owner is null)
        {
            return NotFound();
        }

        return await RenderAsync(r, page, pages, keep, filterContext, cancellationToken);
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
