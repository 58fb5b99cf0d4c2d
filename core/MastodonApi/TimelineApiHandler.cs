using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/timelines/home</c>, <c>/public</c> and <c>/tag/:hashtag</c> (docs: methods/timelines). Timelines are written
/// on arrival (<see cref="TimelineStore"/>); a page is 1 range query + 1 point read per status + the renderer's lookups.
/// </summary>
public sealed class TimelineApiHandler(ApiAuth auth, TimelineStore timelines, StatusStore statuses, StatusRenderer renderer, Lists.ListStore lists, InstanceUrls urls)
{
    public async Task<WireResult> HomeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return await PageAsync(request, [TimelineStore.Home(me!.Id)], me, _ => true, Filters.FilterContexts.Home, cancellationToken);
    }

    /// <summary><c>/api/v1/timelines/list/:id</c>: posts of the list's members as they arrived (see <see cref="StatusSurface.PlaceInHomeAsync"/>); 404 for another account's list.</summary>
    public async Task<WireResult> ListAsync(HttpRequest request, string listId, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return await lists.GetAsync(me!.Id, listId, cancellationToken) is null
            ? WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors()
            : await PageAsync(request, [TimelineStore.List(listId)], me, _ => true, Filters.FilterContexts.Home, cancellationToken);
    }

    /// <summary>Public timeline: <c>local=true</c> only local posts, <c>remote=true</c> only remote ones, else both.</summary>
    public async Task<WireResult> PublicAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var local = request.Query["local"].ToString() is "true" or "1";
        var remote = request.Query["remote"].ToString() is "true" or "1";
        string[] sources = local ? [TimelineStore.PublicLocal] : remote ? [TimelineStore.PublicRemote] : [TimelineStore.PublicLocal, TimelineStore.PublicRemote];
        return await PageAsync(request, sources, viewer, s => s.Visibility == Visibility.Public, Filters.FilterContexts.Public, cancellationToken);
    }

    public async Task<WireResult> TagAsync(HttpRequest request, string hashtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var tag = (hashtag ?? "").TrimStart('#');
        if (tag.Length == 0 || tag.Length > 100)
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
        }

        var local = request.Query["local"].ToString() is "true" or "1";
        var remote = request.Query["remote"].ToString() is "true" or "1";
        return await PageAsync(request, [TimelineStore.Tag(tag)], viewer, s => s.Visibility == Visibility.Public && (!local || s.IsLocal) && (!remote || !s.IsLocal), Filters.FilterContexts.Public, cancellationToken);
    }

    /// <summary>Reads each source timeline's page, merges them newest first, loads, filters and renders the statuses.</summary>
    public async Task<WireResult> PageAsync(HttpRequest request, IReadOnlyList<string> sources, LocalAccount? viewer, Func<Status, bool> keep, string filterContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sources);
        var page = PageRequest.Parse(request.Query);
        var pages = await Task.WhenAll(sources.Select(t => timelines.PageAsync(t, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken)));
        var ids = pages.SelectMany(p => p).Distinct(StringComparer.Ordinal).OrderByDescending(id => id, StringComparer.Ordinal).Take(page.Limit).ToList();
        var onlyMedia = request.Query["only_media"].ToString() is "true" or "1";
        var loaded = await statuses.GetManyAsync(ids, cancellationToken);
        var visible = new List<Status>();
        foreach (var s in loaded)
        {
            if (keep(s) && (!onlyMedia || HasMedia(s)) && await renderer.CanSeeAsync(s, viewer, cancellationToken))
            {
                visible.Add(s);
            }
        }

        var json = await renderer.RenderAsync(visible, viewer, cancellationToken, filterContext);
        // Links follow the timeline's ids (not the visible ones), so filtered entries never end pagination early.
        return WireResult.Json(StatusCodes.Status200OK, json).WithCors().WithPageLinks(PageLinks.Build(urls, request, page, ids));
    }

    private static bool HasMedia(Status status) => status.Media.Count > 0 || status.RemoteMedia.Count > 0;

}
