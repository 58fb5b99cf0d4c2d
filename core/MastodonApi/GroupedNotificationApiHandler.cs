using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Grouped notifications, <c>/api/v2/notifications</c> (docs: methods/grouped_notifications): the list as
/// GroupedNotificationsResults (accounts and statuses once each, groups referring to them by id), one group, its
/// accounts, dismissing a group, and the unread count in groups. Groups come from <see cref="NotificationGroupKey"/>.
/// A page reads the notification partition newest first in range queries of 200 rows, at most 1,000 rows, so a page
/// costs 1-5 range queries plus 1-2 reads per sample account (at most 8 per group) and 1 per status, + 3 range queries for
/// the senders the viewer hides (<see cref="Notifier.ShownToAsync"/>), which lists leave out.
/// </summary>
public sealed class GroupedNotificationApiHandler(ApiAuth auth, NotificationStore notifications, MarkerStore markers, AccountDirectory directory, StatusStore statuses, StatusRenderer renderer, MastodonMapper mapper, InstanceUrls urls, Notifier notifier)
{
    /// <summary>Sample accounts per group (Mastodon's <c>SAMPLE_ACCOUNTS_SIZE</c>).</summary>
    public const int SampleAccounts = 8;

    /// <summary>Rows per range query of a page, and the most rows one request reads.</summary>
    private const int ScanPageSize = 200;

    private const int MaxScannedRows = 1000;

    /// <summary>Accounts answered by <c>/api/v2/notifications/:group_key/accounts</c>.</summary>
    private const int MaxGroupAccounts = 80;

    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var expand = p.Get("expand_accounts") ?? "full";
        if (expand is not ("full" or "partial_avatars"))
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, $"Invalid value for 'expand_accounts': '{expand}', allowed values are 'full' and 'partial_avatars'").WithCors();
        }

        var page = PageRequest.Parse(request.Query, defaultLimit: 40, maxLimit: 80);
        var include = await FilterAsync(me!.Id, p, cancellationToken);
        var grouped = GroupedTypes(p);
        var (groups, full, capCursor) = page.ReadsForward
            ? await ForwardPageAsync(me!.Id, page, include, grouped, cancellationToken)
            : await BackwardPageAsync(me!.Id, page, include, grouped, cancellationToken);

        // The range a group's page_min_id is taken from: down to the last group's representative on a full page.
        var rangeBegin = full ? groups[^1].Representative.Id : null;
        var json = await RenderAsync(groups, me, expand == "partial_avatars", g => (g.Members.LastOrDefault(m => rangeBegin is null || PageRequest.Compare(m.Id, rangeBegin) >= 0) ?? g.Representative).Id, cancellationToken);

        // next: below the last group's representative (Mastodon's cursor), or below the last row read when the read cap
        // ended the page early; prev: above the newest representative.
        var next = full ? groups[^1].Representative.Id : capCursor;
        List<string> ids = groups.Count == 0 ? [] : next is null ? [groups[0].Representative.Id] : [groups[0].Representative.Id, next];
        var links = PageLinks.Build(urls, request, page with { Limit = next is null ? int.MaxValue : ids.Count }, ids);
        return WireResult.Json(StatusCodes.Status200OK, json).WithCors().WithPageLinks(links);
    }

    /// <summary><c>GET /api/v2/notifications/:group_key</c>: the whole group (no page fields), 404 for an unknown or empty key.</summary>
    public async Task<WireResult> GetAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken)
    {
        var (me, members, failure) = await GroupOfAsync(request, "read:notifications", groupKey, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var json = await RenderAsync([new Group(groupKey, members[0]) { Members = [.. members] }], me!, false, null, cancellationToken);
        return json["notification_groups"]!.AsArray().Count == 0 ? NotFound() : WireResult.Json(StatusCodes.Status200OK, json).WithCors();
    }

    /// <summary><c>GET /api/v2/notifications/:group_key/accounts</c>: the accounts of the group, newest first, at most 80.</summary>
    public async Task<WireResult> AccountsAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken)
    {
        // The docs list write:notifications for this read; Mastodon's controller asks for read:notifications, as here.
        var (me, members, failure) = await GroupOfAsync(request, "read:notifications", groupKey, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var actors = members.Select(m => m.FromActorId).Distinct(StringComparer.Ordinal).Take(MaxGroupAccounts);
        var resolved = await Task.WhenAll(actors.Select(a => directory.GetByActorIdAsync(a, cancellationToken)));
        return WireResult.Json(StatusCodes.Status200OK, new JsonArray([.. resolved.OfType<AccountRef>().Select(a => (JsonNode)mapper.ToAccount(a))])).WithCors();
    }

    /// <summary><c>POST /api/v2/notifications/:group_key/dismiss</c>: removes every notification of the group; 404 when there is none.</summary>
    public async Task<WireResult> DismissAsync(HttpRequest request, string groupKey, CancellationToken cancellationToken)
    {
        var (me, members, failure) = await GroupOfAsync(request, "write:notifications", groupKey, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        await notifications.DismissManyAsync(me!.Id, members.Select(m => m.Id), cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, new JsonObject()).WithCors();
    }

    /// <summary>
    /// <c>GET /api/v2/notifications/unread_count</c>: groups with a notification newer than the notifications marker,
    /// capped at <c>limit</c> (default 100, at most 1,000). 1 read (markers) + 1 range query per 1,000 rows read.
    /// </summary>
    public async Task<WireResult> UnreadCountAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var limit = Math.Clamp(int.TryParse(p.Get("limit"), out var l) ? l : 100, 1, 1000);
        var marker = (await markers.GetAsync(me!.Id, cancellationToken)).FirstOrDefault(m => m.Timeline == "notifications")?.LastReadId;
        var include = await FilterAsync(me!.Id, p, cancellationToken);
        var grouped = GroupedTypes(p);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var n in notifications.ScanAsync(me.Id, null, marker, 1000, 1000, cancellationToken))
        {
            if (include(n) && keys.Add(NotificationGroupKey.Of(n, grouped)) && keys.Count >= limit)
            {
                break;
            }
        }

        return WireResult.Json(StatusCodes.Status200OK, new JsonObject { ["count"] = keys.Count }).WithCors();
    }

    /// <summary>
    /// Newest first from <c>max_id</c>/<c>since_id</c>: each new group key opens a group until <c>limit</c> groups are
    /// open; after that, rows are read only while an open group's window may still hold older members, so each group
    /// on the page is complete below its newest member (as Mastodon counts it).
    /// </summary>
    private async Task<(List<Group> Groups, bool Full, string? CapCursor)> BackwardPageAsync(string accountId, PageRequest page, Func<Notification, bool> include, IReadOnlySet<NotificationType> grouped, CancellationToken cancellationToken)
    {
        var groups = new List<Group>();
        var byKey = new Dictionary<string, Group>(StringComparer.Ordinal);
        var full = false;
        DateTimeOffset? stopBefore = null;
        string? last = null;
        var read = 0;
        await foreach (var n in notifications.ScanAsync(accountId, page.MaxId, page.SinceId, ScanPageSize, MaxScannedRows, cancellationToken))
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
    private async Task<(List<Group> Groups, bool Full, string? CapCursor)> ForwardPageAsync(string accountId, PageRequest page, Func<Notification, bool> include, IReadOnlySet<NotificationType> grouped, CancellationToken cancellationToken)
    {
        var rows = new List<Notification>();
        await foreach (var n in notifications.ScanAsync(accountId, page.MaxId, page.MinId, 1000, MaxScannedRows, cancellationToken))
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

    /// <summary>GroupedNotificationsResults for the groups; <paramref name="pageMinId"/> null leaves out the page fields (a single group).</summary>
    /// <summary>The caller (with <paramref name="scope"/>) and every notification of the group; the JSON 404 for an unknown, malformed or empty key.</summary>
    private async Task<(LocalAccount? Me, IReadOnlyList<Notification> Members, WireResult? Failure)> GroupOfAsync(HttpRequest request, string scope, string groupKey, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        if (failure is not null)
        {
            return (null, [], failure);
        }

        var members = NotificationGroupKey.Parse(groupKey) is { } key ? await notifications.GroupAsync(me!.Id, key, int.MaxValue, cancellationToken) : [];
        return members.Count == 0 ? (null, [], NotFound()) : (me, members, null);
    }

    private async Task<JsonObject> RenderAsync(List<Group> groups, LocalAccount viewer, bool partialAvatars, Func<Group, string>? pageMinId, CancellationToken cancellationToken)
    {
        var sampleActors = groups.Select(g => g.Members.Select(m => m.FromActorId).Distinct(StringComparer.Ordinal).Take(SampleAccounts).ToList()).ToList();
        var actors = (await Task.WhenAll(sampleActors.SelectMany(a => a).Distinct(StringComparer.Ordinal).Select(a => directory.GetByActorIdAsync(a, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ActorId, StringComparer.Ordinal);
        var statusList = await statuses.GetManyAsync(groups.Select(g => g.Representative.StatusId).OfType<string>().Distinct(StringComparer.Ordinal), cancellationToken);
        var rendered = await renderer.RenderAsync(statusList, viewer, cancellationToken, Filters.FilterContexts.Notifications);
        var byStatusId = rendered.OfType<JsonObject>().ToDictionary(j => j["id"]!.GetValue<string>(), StringComparer.Ordinal);

        var accounts = new JsonArray();
        var partial = new JsonArray();
        var accountIds = new HashSet<string>(StringComparer.Ordinal);
        var partialIds = new HashSet<string>(StringComparer.Ordinal);
        var statusesJson = new JsonArray();
        var statusIds = new HashSet<string>(StringComparer.Ordinal);
        var groupsJson = new JsonArray();
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var samples = sampleActors[i].Select(a => actors.GetValueOrDefault(a)).OfType<AccountRef>().Select(mapper.ToAccount).ToList();

            // A group whose status or every account is gone is not shown (Mastodon deletes those with their cause).
            JsonObject? status = null;
            if (samples.Count == 0 || g.Representative.StatusId is { } sid && !byStatusId.TryGetValue(sid, out status))
            {
                continue;
            }

            for (var s = 0; s < samples.Count; s++)
            {
                // With partial_avatars only the most recent account of a group is rendered in full (docs: expand_accounts).
                if (!partialAvatars || s == 0)
                {
                    Add(accounts, accountIds, samples[s]);
                }
            }

            if (status is not null)
            {
                if (statusIds.Add(status["id"]!.GetValue<string>()))
                {
                    statusesJson.Add(status.DeepClone());
                }

                if (status["account"] is JsonObject author)
                {
                    Add(accounts, accountIds, author);
                }
            }

            if (partialAvatars)
            {
                foreach (var a in samples.Skip(1))
                {
                    var id = a["id"]!.GetValue<string>();
                    if (!accountIds.Contains(id) && partialIds.Add(id))
                    {
                        partial.Add(Partial(a));
                    }
                }
            }

            var newest = g.Members[0];
            var json = new JsonObject
            {
                ["group_key"] = g.Key,
                ["notifications_count"] = g.Members.Count,
                ["type"] = NotificationApiHandler.TypeName(g.Representative.Type),
                ["most_recent_notification_id"] = newest.Id,
            };
            if (pageMinId is not null)
            {
                json["page_min_id"] = pageMinId(g);
                json["page_max_id"] = newest.Id;
                json["latest_page_notification_at"] = MastodonMapper.Time(newest.CreatedAt);
            }

            json["sample_account_ids"] = new JsonArray([.. samples.Select(a => (JsonNode)a["id"]!.GetValue<string>())]);
            if (status is not null)
            {
                json["status_id"] = status["id"]!.GetValue<string>();
            }

            groupsJson.Add(json);
        }

        var result = new JsonObject { ["accounts"] = accounts };
        if (partialAvatars)
        {
            result["partial_accounts"] = partial;
        }

        result["statuses"] = statusesJson;
        result["notification_groups"] = groupsJson;
        return result;
    }

    private static void Add(JsonArray accounts, HashSet<string> ids, JsonObject account)
    {
        if (ids.Add(account["id"]!.GetValue<string>()))
        {
            accounts.Add(account.DeepClone());
        }
    }

    /// <summary>PartialAccountWithAvatar: what a row of avatars needs.</summary>
    private static JsonObject Partial(JsonObject account) => new()
    {
        ["id"] = account["id"]!.DeepClone(),
        ["acct"] = account["acct"]!.DeepClone(),
        ["url"] = account["url"]!.DeepClone(),
        ["avatar"] = account["avatar"]!.DeepClone(),
        ["avatar_static"] = account["avatar_static"]!.DeepClone(),
        ["locked"] = account["locked"]!.DeepClone(),
        ["bot"] = account["bot"]!.DeepClone(),
    };

    /// <summary><c>types[]</c>, <c>exclude_types[]</c> and <c>account_id</c>, as the v1 list applies them, and the <see cref="Notifier"/>'s hiding rule.</summary>
    private async Task<Func<Notification, bool>> FilterAsync(string accountId, ApiParameters p, CancellationToken cancellationToken)
    {
        var shown = await notifier.ShownToAsync(accountId, cancellationToken);
        var types = p.GetAll("types").ToHashSet(StringComparer.Ordinal);
        var excluded = p.GetAll("exclude_types").ToHashSet(StringComparer.Ordinal);
        var fromAccount = p.Get("account_id");
        var fromActor = fromAccount is null ? null : (await directory.GetByApiIdAsync(fromAccount, cancellationToken))?.ActorId ?? "";
        return n => shown(n) && (types.Count == 0 || types.Contains(NotificationApiHandler.TypeName(n.Type))) && !excluded.Contains(NotificationApiHandler.TypeName(n.Type)) && (fromActor is null || n.FromActorId == fromActor);
    }

    /// <summary><c>grouped_types[]</c>: the groupable types the client can show grouped; absent or empty means all.</summary>
    private static IReadOnlySet<NotificationType> GroupedTypes(ApiParameters p)
    {
        var names = p.GetAll("grouped_types");
        return names.Count == 0
            ? NotificationGroupKey.Groupable
            : NotificationGroupKey.Groupable.Where(t => names.Contains(NotificationApiHandler.TypeName(t), StringComparer.Ordinal)).ToHashSet();
    }

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();

    /// <summary>A group on a page: its key, the notification that represents it in the cursor order, its members newest first.</summary>
    private sealed class Group(string key, Notification representative)
    {
        public string Key { get; } = key;

        public Notification Representative { get; } = representative;

        public List<Notification> Members { get; init; } = [representative];
    }
}
