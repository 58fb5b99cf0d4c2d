using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;
using Notification = ServerlessFedi.Notifications.Notification;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Grouped notifications, <c>/api/v2/notifications</c> (docs: methods/grouped_notifications): the list as
/// GroupedNotificationsResults (accounts and statuses once each, groups referring to them by id), one group, its
/// accounts, dismissing a group, and the unread count in groups. Groups come from <see cref="NotificationGroupKey"/>.
/// A page reads the notification partition newest first in range queries of 200 rows, at most 1,000 rows, so a page
/// costs 1-5 range queries plus 1-2 reads per sample account (at most 8 per group) and 1 per status, + 3 range queries for
/// the senders the viewer hides (<see cref="Notifier.ShownToAsync"/>), which lists leave out; accounts, statuses and the
/// hidden senders are kept per process within their bounds. A warm page filled by its first range query: 3 transactions
/// (the token, the range query beside it, the marks) in 2 sequential steps.
/// </summary>
public sealed class GroupedNotificationApiHandler(ApiEndpoint api, NotificationStore notifications, MarkerStore markers, AccountDirectory directory, StatusStore statuses, StatusRenderer renderer, AccountMapper mapper, InstanceUrls urls, Notifier notifier)
{
    /// <summary>Sample accounts per group (Mastodon's <c>SAMPLE_ACCOUNTS_SIZE</c>).</summary>
    public const int SampleAccounts = 8;

    /// <summary>Rows per range query of a page, and the most rows one request reads.</summary>
    private const int ScanPageSize = 200;

    private const int MaxScannedRows = 1000;

    /// <summary>Rows per range query of a <c>min_id</c> page, which reads every row between the cursors.</summary>
    private const int ForwardPageSize = 1000;

    /// <summary>Accounts answered by <c>/api/v2/notifications/:group_key/accounts</c>.</summary>
    private const int MaxGroupAccounts = 80;

    /// <summary>
    /// <c>GET /api/v2/notifications</c>: the page's first range query starts beside the bearer token's read, keyed by the
    /// account id in front of the token (<see cref="ApiEndpoint"/>'s early read; used only when the token authenticates
    /// that account), before the filter is known; the scan continues from it. Sequential storage steps, warm: the token
    /// beside the range query, then the marks (and the next range queries, when the first page of rows does not fill it).
    /// </summary>
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The cursor comes from the query string only (as ApiRequest.Page reads it), so it is known before authentication.
        var page = PageRequest.Parse(request.Query, defaultLimit: 40, maxLimit: 80);
        return api.RunAsync(
            request,
            ApiAccess.Token("read:notifications").WithParameters(),
            accountId => page.ReadsForward // by account: always given an id
                ? notifications.ScanFirstAsync(accountId!, page.MaxId, page.MinId, ForwardPageSize, cancellationToken)
                : notifications.ScanFirstAsync(accountId!, page.MaxId, page.SinceId, ScanPageSize, cancellationToken),
            byAccount: true,
            (r, first) => ListPageAsync(r, page, first, cancellationToken),
            cancellationToken);
    }

    private async Task<WireResult> ListPageAsync(ApiRequest r, PageRequest page, NotificationScanPage first, CancellationToken cancellationToken)
    {
        var p = r.Parameters;
        var expand = p.Get("expand_accounts") ?? "full";
        if (expand is not ("full" or "partial_avatars"))
        {
            return BadRequest($"Invalid value for 'expand_accounts': '{expand}', allowed values are 'full' and 'partial_avatars'");
        }

        var include = await FilterAsync(r.Account.Id, p, cancellationToken);
        var grouped = GroupedTypes(p);
        var (groups, full, capCursor) = page.ReadsForward
            ? await ForwardPageAsync(r.Account.Id, page, include, grouped, first, cancellationToken)
            : await BackwardPageAsync(r.Account.Id, page, include, grouped, first, cancellationToken);

        // The range a group's page_min_id is taken from: down to the last group's representative on a full page.
        var rangeBegin = full ? groups[^1].Representative.Id : null;
        var results = await ToResultsAsync(groups, r.Account, expand == "partial_avatars", g => (g.Members.LastOrDefault(m => rangeBegin is null || PageRequest.Compare(m.Id, rangeBegin) >= 0) ?? g.Representative).Id, cancellationToken);

        // next: below the last group's representative (Mastodon's cursor), or below the last row read when the read cap
        // ended the page early; prev: above the newest representative.
        var next = full ? groups[^1].Representative.Id : capCursor;
        List<string> ids = groups.Count == 0 ? [] : next is null ? [groups[0].Representative.Id] : [groups[0].Representative.Id, next];
        var links = PageLinks.Build(urls, r.Http, page with { Limit = next is null ? int.MaxValue : ids.Count }, ids);
        return Ok(results, Wire.GroupedNotificationsResults).WithPageLinks(links);
    }

    /// <summary><c>GET /api/v2/notifications/:group_key</c>: the whole group (no page fields), 404 for an unknown or empty key.</summary>
    public Task<WireResult> GetAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken) =>
        GroupAsync(request, "read:notifications", groupKey, async (me, members) =>
        {
            var results = await ToResultsAsync([new Group(groupKey, members[0]) { Members = [.. members] }], me, false, null, cancellationToken);
            return results.NotificationGroups.Count == 0 ? NotFound() : Ok(results, Wire.GroupedNotificationsResults);
        }, cancellationToken);

    /// <summary><c>GET /api/v2/notifications/:group_key/accounts</c>: the accounts of the group, newest first, at most 80.</summary>
    /// <remarks>The docs list write:notifications for this read; Mastodon's controller asks for read:notifications, as here.</remarks>
    public Task<WireResult> AccountsAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken) =>
        GroupAsync(request, "read:notifications", groupKey, async (_, members) =>
        {
            var actors = members.Select(m => m.FromActorId).Distinct(StringComparer.Ordinal).Take(MaxGroupAccounts);
            var resolved = await Task.WhenAll(actors.Select(a => directory.GetByActorIdAsync(a, cancellationToken)));
            return Ok([.. resolved.OfType<AccountRef>().Select(mapper.ToAccount)], Wire.IReadOnlyListAccount);
        }, cancellationToken);

    /// <summary><c>POST /api/v2/notifications/:group_key/dismiss</c>: removes every notification of the group; 404 when there is none.</summary>
    public Task<WireResult> DismissAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken) =>
        GroupAsync(request, "write:notifications", groupKey, async (me, members) =>
        {
            await notifications.DismissManyAsync(me.Id, members.Select(m => m.Id), cancellationToken);
            return Done();
        }, cancellationToken);

    /// <summary>
    /// <c>GET /api/v2/notifications/unread_count</c>: groups with a notification newer than the notifications marker,
    /// capped at <c>limit</c> (default 100, at most 1,000). 1 read (markers) + 1 range query per 1,000 rows read.
    /// </summary>
    public Task<WireResult> UnreadCountAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications").WithParameters(), async r =>
        {
            var p = r.Parameters;
            var limit = Math.Clamp(int.TryParse(p.Get("limit"), out var l) ? l : 100, 1, 1000);
            var marker = (await markers.GetAsync(r.Account.Id, cancellationToken)).FirstOrDefault(m => m.Timeline == "notifications")?.LastReadId;
            var include = await FilterAsync(r.Account.Id, p, cancellationToken);
            var grouped = GroupedTypes(p);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var n in notifications.ScanAsync(r.Account.Id, null, marker, 1000, 1000, cancellationToken))
            {
                if (include(n) && keys.Add(NotificationGroupKey.Of(n, grouped)) && keys.Count >= limit)
                {
                    break;
                }
            }

            return Ok(new UnreadCount(keys.Count), Wire.UnreadCount);
        }, cancellationToken);

    /// <summary>
    /// Newest first from <c>max_id</c>/<c>since_id</c>: each new group key opens a group until <c>limit</c> groups are
    /// open; after that, rows are read only while an open group's window may still hold older members, so each group
    /// on the page is complete below its newest member (as Mastodon counts it).
    /// </summary>
    private async Task<(List<Group> Groups, bool Full, string? CapCursor)> BackwardPageAsync(string accountId, PageRequest page, Func<Notification, bool> include, IReadOnlySet<NotificationType> grouped, NotificationScanPage first, CancellationToken cancellationToken)
    {
        var groups = new List<Group>();
        var byKey = new Dictionary<string, Group>(StringComparer.Ordinal);
        var full = false;
        DateTimeOffset? stopBefore = null;
        string? last = null;
        var read = 0;
        await foreach (var n in notifications.ScanAsync(accountId, page.MaxId, page.SinceId, ScanPageSize, MaxScannedRows, cancellationToken, first))
        {
            read++;
            last = n.Id;
            if (full && SnowflakeIds.TimeOf(n.Id) < stopBefore)
            {
                break;
            }

            if (!include(n))
            {
                continue;
            }

            var key = NotificationGroupKey.Of(n, grouped);
            if (byKey.TryGetValue(key, out var group))
            {
                group.Members.Add(n);
            }
            else if (!full && groups.Count < page.Limit)
            {
                group = new Group(key, n);
                groups.Add(group);
                byKey[key] = group;
            }
            else if (!full)
            {
                full = true;
                stopBefore = groups.Select(g => NotificationGroupKey.Parse(g.Key)).Where(k => k is { IsGroup: true }).Select(k => k!.From).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                if (SnowflakeIds.TimeOf(n.Id) < stopBefore)
                {
                    break;
                }
            }
        }

        return (groups, full, !full && read >= MaxScannedRows ? last : null);
    }

    /// <summary>
    /// The groups just above <c>min_id</c>: the rows between the cursors (at most 1,000, the newest if there are more)
    /// are walked oldest first, each new key opening a group until <c>limit</c> are open; answered newest first.
    /// </summary>
    private async Task<(List<Group> Groups, bool Full, string? CapCursor)> ForwardPageAsync(string accountId, PageRequest page, Func<Notification, bool> include, IReadOnlySet<NotificationType> grouped, NotificationScanPage first, CancellationToken cancellationToken)
    {
        var rows = new List<Notification>();
        await foreach (var n in notifications.ScanAsync(accountId, page.MaxId, page.MinId, ForwardPageSize, MaxScannedRows, cancellationToken, first))
        {
            if (include(n))
            {
                rows.Add(n);
            }
        }

        var groups = new List<Group>();
        var byKey = new Dictionary<string, Group>(StringComparer.Ordinal);
        var full = false;
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            var n = rows[i];
            var key = NotificationGroupKey.Of(n, grouped);
            if (byKey.TryGetValue(key, out var group))
            {
                group.Members.Insert(0, n);
            }
            else if (groups.Count < page.Limit)
            {
                group = new Group(key, n);
                groups.Add(group);
                byKey[key] = group;
            }
            else
            {
                full = true;
            }
        }

        // Oldest member first was the representative while walking up; answered newest first like every page.
        groups.Reverse();
        return (groups, full, null);
    }

    /// <summary>The caller (with <paramref name="scope"/>) and every notification of the group for <paramref name="handle"/>; the JSON 404 for an unknown, malformed or empty key.</summary>
    private Task<WireResult> GroupAsync(HttpRequest request, string scope, string groupKey, Func<LocalAccount, IReadOnlyList<Notification>, Task<WireResult>> handle, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(scope), async r =>
        {
            var members = NotificationGroupKey.Parse(groupKey) is { } key ? await notifications.GroupAsync(r.Account.Id, key, int.MaxValue, cancellationToken) : [];
            return members.Count == 0 ? NotFound() : await handle(r.Account, members);
        }, cancellationToken);

    /// <summary>GroupedNotificationsResults for the groups; <paramref name="pageMinId"/> null leaves out the page fields (a single group).</summary>
    private async Task<GroupedNotificationsResults> ToResultsAsync(List<Group> groups, LocalAccount viewer, bool partialAvatars, Func<Group, string>? pageMinId, CancellationToken cancellationToken)
    {
        var sampleActors = groups.Select(g => g.Members.Select(m => m.FromActorId).Distinct(StringComparer.Ordinal).Take(SampleAccounts).ToList()).ToList();
        var actors = (await Task.WhenAll(sampleActors.SelectMany(a => a).Distinct(StringComparer.Ordinal).Select(a => directory.GetRecentByActorIdAsync(a, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ActorId, StringComparer.Ordinal);
        var statusList = await statuses.GetManyRecentAsync(groups.Select(g => g.Representative.StatusId).OfType<string>().Distinct(StringComparer.Ordinal), cancellationToken);
        var byStatusId = (await renderer.ListAsync(statusList, viewer, cancellationToken, Filters.FilterContexts.Notifications)).ToDictionary(s => s.Id, StringComparer.Ordinal);

        var accounts = new List<Account>();
        var partial = new List<PartialAccountWithAvatar>();
        var accountIds = new HashSet<string>(StringComparer.Ordinal);
        var partialIds = new HashSet<string>(StringComparer.Ordinal);
        var shownStatuses = new List<Entities.Status>();
        var statusIds = new HashSet<string>(StringComparer.Ordinal);
        var shownGroups = new List<NotificationGroup>();
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var samples = sampleActors[i].Select(a => actors.GetValueOrDefault(a)).OfType<AccountRef>().Select(mapper.ToAccount).ToList();

            // A group whose status or every account is gone is not shown (Mastodon deletes those with their cause).
            Entities.Status? status = null;
            if (samples.Count == 0 || g.Representative.StatusId is { } sid && !byStatusId.TryGetValue(sid, out status))
            {
                continue;
            }

            // With partial_avatars only the most recent account of a group is rendered in full (docs: expand_accounts).
            foreach (var sample in partialAvatars ? samples.Take(1) : samples)
            {
                AddOnce(accounts, accountIds, sample);
            }

            if (status is not null)
            {
                if (statusIds.Add(status.Id))
                {
                    shownStatuses.Add(status);
                }

                AddOnce(accounts, accountIds, status.Account);
            }

            if (partialAvatars)
            {
                foreach (var a in samples.Skip(1))
                {
                    if (!accountIds.Contains(a.Id) && partialIds.Add(a.Id))
                    {
                        partial.Add(AccountMapper.ToPartial(a));
                    }
                }
            }

            shownGroups.Add(NotificationMapper.ToGroup(g.Key, g.Representative, g.Members, [.. samples.Select(a => a.Id)], status?.Id, pageMinId?.Invoke(g)));
        }

        return new GroupedNotificationsResults
        {
            Accounts = accounts,
            PartialAccounts = partialAvatars ? partial : null,
            Statuses = shownStatuses,
            NotificationGroups = shownGroups,
        };
    }

    private static void AddOnce(List<Account> accounts, HashSet<string> ids, Account account)
    {
        if (ids.Add(account.Id))
        {
            accounts.Add(account);
        }
    }

    /// <summary><c>types[]</c>, <c>exclude_types[]</c> and <c>account_id</c>, as the v1 list applies them, and the <see cref="Notifier"/>'s hiding rule.</summary>
    private async Task<Func<Notification, bool>> FilterAsync(string accountId, ApiParameters p, CancellationToken cancellationToken)
    {
        var shown = await notifier.ShownToAsync(accountId, cancellationToken);
        var types = p.GetAll("types").ToHashSet(StringComparer.Ordinal);
        var excluded = p.GetAll("exclude_types").ToHashSet(StringComparer.Ordinal);
        var fromAccount = p.Get("account_id");
        var fromActor = fromAccount is null ? null : (await directory.GetByApiIdAsync(fromAccount, cancellationToken))?.ActorId ?? "";
        return n => shown(n) && (types.Count == 0 || types.Contains(NotificationMapper.TypeName(n.Type))) && !excluded.Contains(NotificationMapper.TypeName(n.Type)) && (fromActor is null || n.FromActorId == fromActor);
    }

    /// <summary><c>grouped_types[]</c>: the groupable types the client can show grouped; absent or empty means all.</summary>
    private static IReadOnlySet<NotificationType> GroupedTypes(ApiParameters p)
    {
        var names = p.GetAll("grouped_types");
        return names.Count == 0
            ? NotificationGroupKey.Groupable
            : NotificationGroupKey.Groupable.Where(t => names.Contains(NotificationMapper.TypeName(t), StringComparer.Ordinal)).ToHashSet();
    }

    /// <summary>A group on a page: its key, the notification that represents it in the cursor order, its members newest first.</summary>
    private sealed class Group(string key, Notification representative)
    {
        public string Key { get; } = key;

        public Notification Representative { get; } = representative;

        public List<Notification> Members { get; init; } = [representative];
    }
}
