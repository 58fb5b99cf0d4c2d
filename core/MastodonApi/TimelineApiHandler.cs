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
/// renderer's lookups (one parallel step; a warm page: the marks' range query). Sequential steps for a warm page: the
/// token, the range query, the parallel step.
/// </summary>
public sealed class TimelineApiHandler(ApiEndpoint api, TimelineStore timelines, StatusStore statuses, StatusRenderer renderer, Lists.ListStore lists, InstanceUrls urls)
{
    public Task<WireResult> HomeAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), r =>
            PageAsync(r, [TimelineStore.Home(r.Account.Id)], _ => true, Filters.FilterContexts.Home, cancellationToken), cancellationToken);

    /// <summary><c>/api/v1/timelines/list/:id</c>: posts of the list's members as they arrived (see <see cref="StatusSurface.PlaceInHomeAsync"/>); 404 for another account's list.</summary>
    public Task<WireResult> ListAsync(HttpRequest request, string listId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:lists"), r =>
            PageAsync(r, [TimelineStore.List(listId)], _ => true, Filters.FilterContexts.Home, cancellationToken, lists.GetAsync(r.Account.Id, listId, cancellationToken)), cancellationToken);

    /// <summary>Public timeline: <c>local=true</c> only local posts, <c>remote=true</c> only remote ones, else both.</summary>
    public Task<WireResult> PublicAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), r =>
        {
            string[] sources = r.Flag("local") ? [TimelineStore.PublicLocal] : r.Flag("remote") ? [TimelineStore.PublicRemote] : [TimelineStore.PublicLocal, TimelineStore.PublicRemote];
            return PageAsync(r, sources, s => s.Visibility == Visibility.Public, Filters.FilterContexts.Public, cancellationToken);
        }, cancellationToken);

    public Task<WireResult> TagAsync(HttpRequest request, string hashtag, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), r =>
        {
            var tag = (hashtag ?? "").TrimStart('#');
            if (tag.Length == 0 || tag.Length > 100)
            {
                return Task.FromResult(NotFound());
            }

            var local = r.Flag("local");
            var remote = r.Flag("remote");
            return PageAsync(r, [TimelineStore.Tag(tag)], s => s.Visibility == Visibility.Public && (!local || s.IsLocal) && (!remote || !s.IsLocal), Filters.FilterContexts.Public, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Reads each source timeline's page, merges them newest first, loads, filters and renders the statuses;
    /// <paramref name="owner"/> (a list's ownership, read beside the range query) answers 404 when it finds nothing.
    /// </summary>
    private async Task<WireResult> PageAsync(ApiRequest r, IReadOnlyList<string> sources, Func<Status, bool> keep, string filterContext, CancellationToken cancellationToken, Task<Lists.AccountList?>? owner = null)
    {
        var page = r.Page();
        var pages = await Task.WhenAll(sources.Select(t => timelines.PageAsync(t, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken)));
        if (owner is not null && await owner is null)
        {
            return NotFound();
        }

        var ids = pages.SelectMany(p => p).Distinct(StringComparer.Ordinal).OrderByDescending(id => id, StringComparer.Ordinal).Take(page.Limit).ToList();
        var onlyMedia = r.Flag("only_media");
        var loaded = await statuses.GetManyRecentAsync(ids, cancellationToken);
        var visible = await renderer.VisibleAsync(loaded.Where(s => keep(s) && (!onlyMedia || s.Media.Count > 0 || s.RemoteMedia.Count > 0)), r.Viewer, cancellationToken);
        var shown = await renderer.ListAsync(visible, r.Viewer, cancellationToken, filterContext);
        // Links follow the timeline's ids (not the visible ones), so filtered entries never end pagination early.
        return Ok(shown, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, r.Http, page, ids));
    }
}
