using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;
using DomainNotification = ServerlessFedi.Notifications.Notification;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/notifications</c> (docs: methods/notifications): list with <c>types[]</c>, <c>exclude_types[]</c> and
/// <c>account_id</c>, show, dismiss, clear, <c>unread_count</c>. A list leaves out senders the viewer hides
/// (<see cref="Notifier.ShownToAsync"/>). Storage: a page is 1-10 range queries of 40 rows (the first beside the bearer
/// token's read, see <see cref="ListAsync"/>) + 3 (what the viewer hides, kept per process for
/// <see cref="FollowingStore.RecentLifetime"/>; with <c>account_id</c> its lookup beside them) + the lookups of its
/// accounts and statuses (in parallel, kept per process: <see cref="AccountDirectory.GetRecentByActorIdAsync"/>,
/// <see cref="StatusStore.GetManyRecentAsync"/>) + the rendering of its statuses (a warm page: the marks' range query).
/// A warm page whose first 40 rows fill it: 3 transactions in 2 sequential steps (the token beside the range query, then the marks).
/// </summary>
public sealed class NotificationApiHandler(ApiEndpoint api, NotificationStore notifications, AccountDirectory directory, StatusStore statuses, StatusRenderer renderer, AccountMapper accounts, InstanceUrls urls, MarkerStore markers, Notifier notifier)
{
    /// <summary>
    /// <c>GET /api/v1/notifications</c>: the page's first range query starts beside the bearer token's read, keyed by the
    /// account id in front of the token (<see cref="ApiEndpoint"/>'s early read; used only when the token authenticates
    /// that account), before the filter is known; the page continues from it (<see cref="NotificationStore.PageAsync"/>).
    /// Sequential storage steps, warm: the token beside the range query, then the marks.
    /// </summary>
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The cursor comes from the query string only (as ApiRequest.Page reads it), so it is known before authentication.
        var page = PageRequest.Parse(request.Query, defaultLimit: 40, maxLimit: 80);
        return api.RunAsync(
            request,
            ApiAccess.Token("read:notifications").WithParameters(),
            accountId => notifications.FirstBatchAsync(accountId!, page.MaxId, page.SinceId, page.MinId, cancellationToken), // by account: always given an id
            byAccount: true,
            async (r, first) =>
            {
                var p = r.Parameters;
                var types = p.GetAll("types").ToHashSet(StringComparer.Ordinal);
                var excluded = p.GetAll("exclude_types").ToHashSet(StringComparer.Ordinal);
                var fromAccount = p.Get("account_id");
                var fromActorTask = fromAccount is null ? Task.FromResult<AccountRef?>(null) : directory.GetByApiIdAsync(fromAccount, cancellationToken);
                var visibleTask = notifier.ShownToAsync(r.Account.Id, cancellationToken);
                await Task.WhenAll(fromActorTask, visibleTask);
                var (visible, fromActor) = (await visibleTask, fromAccount is null ? null : (await fromActorTask)?.ActorId ?? "");
                var items = await notifications.PageAsync(r.Account.Id, page.MaxId, page.SinceId, page.MinId, page.Limit, n =>
                    visible(n) && (types.Count == 0 || types.Contains(NotificationMapper.TypeName(n.Type))) && !excluded.Contains(NotificationMapper.TypeName(n.Type)) && (fromActor is null || n.FromActorId == fromActor), cancellationToken, first);
                var shown = await ToNotificationsAsync(items, r.Account, cancellationToken);
                return Ok(shown, Wire.IReadOnlyListNotification).WithPageLinks(PageLinks.Build(urls, request, page, items.Select(n => n.Id).ToList()));
            },
            cancellationToken);
    }

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications"), async r =>
        {
            var n = await notifications.GetAsync(r.Account.Id, id, cancellationToken);
            var shown = n is null ? [] : await ToNotificationsAsync([n], r.Account, cancellationToken);
            return shown.Count == 1 ? Ok(shown[0], Wire.Notification) : NotFound();
        }, cancellationToken);

    public Task<WireResult> DismissAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:notifications"), async r =>
            await notifications.DismissAsync(r.Account.Id, id, cancellationToken) ? Done() : NotFound(), cancellationToken);

    public Task<WireResult> ClearAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:notifications"), async r =>
        {
            await notifications.ClearAsync(r.Account.Id, cancellationToken);
            return Done();
        }, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/notifications/unread_count</c>: notifications newer than <c>since_id</c>, else newer than the
    /// account's notifications marker (as Mastodon counts them), capped at <c>limit</c> (default 100, max 1000).
    /// Storage: auth + 1 read (markers, without <c>since_id</c>) + 1 range query.
    /// </summary>
    public Task<WireResult> UnreadCountAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications"), async r =>
        {
            var since = r.Query("since_id") is { Length: > 0 } s
                ? s
                : (await markers.GetAsync(r.Account.Id, cancellationToken)).FirstOrDefault(m => m.Timeline == "notifications")?.LastReadId;
            var count = await notifications.CountNewerAsync(r.Account.Id, since, r.Limit(100, 1000), cancellationToken);
            return Ok(new UnreadCount(count), Wire.UnreadCount);
        }, cancellationToken);

    /// <summary>The notifications whose account and status (if any) still exist, as the viewer sees their statuses.</summary>
    private async Task<IReadOnlyList<Entities.Notification>> ToNotificationsAsync(IReadOnlyList<DomainNotification> items, LocalAccount viewer, CancellationToken cancellationToken)
    {
        var actorsTask = Task.WhenAll(items.Select(n => n.FromActorId).Distinct(StringComparer.Ordinal).Select(a => directory.GetRecentByActorIdAsync(a, cancellationToken)));
        var statusList = await statuses.GetManyRecentAsync(items.Select(n => n.StatusId).OfType<string>().Distinct(StringComparer.Ordinal), cancellationToken);
        var byId = (await renderer.ListAsync(statusList, viewer, cancellationToken, Filters.FilterContexts.Notifications)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var actors = (await actorsTask).OfType<AccountRef>().ToDictionary(a => a.ActorId, StringComparer.Ordinal);

        // Each sender is mapped once per page (the same entity under each of their notifications).
        var shownAccounts = new Dictionary<string, Entities.Account>(StringComparer.Ordinal);
        var result = new List<Entities.Notification>();
        foreach (var n in items)
        {
            // A notification whose account or status is gone is not shown (Mastodon deletes those with their cause).
            if (!actors.TryGetValue(n.FromActorId, out var actor) || n.StatusId is not null && !byId.ContainsKey(n.StatusId))
            {
                continue;
            }

            if (!shownAccounts.TryGetValue(n.FromActorId, out var account))
            {
                shownAccounts[n.FromActorId] = account = accounts.ToAccount(actor);
            }

            result.Add(NotificationMapper.ToNotification(n, account, n.StatusId is null ? null : byId[n.StatusId]));
        }

        return result;
    }
}
