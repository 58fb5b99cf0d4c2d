using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Notifications;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// <c>/api/v2/notifications</c> (docs: methods/grouped_notifications): grouping, pagination, one group, its accounts,
/// dismissal, the unread count, <c>expand_accounts=partial_avatars</c>, scopes, bad input, and the
/// GroupedNotificationsResults / NotificationGroup / PartialAccountWithAvatar shapes field by field.
/// </summary>
[TestClass]
public sealed partial class GroupedNotificationTests
{
    /// <summary>A time inside the favourite window [00:00, 12:00) and the follow day of 2026-11-20 UTC.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);

    private static readonly long WindowHour = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() / 3600;

    private static TestInstance _instance = null!;
    private static ApiTestClient _api = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _api = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Favourites_of_one_status_form_one_group_with_count_and_eight_sample_accounts()
    {
        var s = await SeedAsync();
        var (status, body) = await _api.GetAsync("/api/v2/notifications", s.Token);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());

        var groups = body.GetProperty("notification_groups").EnumerateArray().ToList();
        CollectionAssert.AreEqual(
            new[] { "favourite", "mention", "mention", "follow", "reblog", "favourite" },
            groups.Select(g => g.GetProperty("type").GetString()).ToArray(),
            "groups newest first: favourite of S2, two mentions (never grouped), follows, boosts, favourites of S1");

        var favs = groups[5];
        Assert.AreEqual($"favourite-{s.S1}-{WindowHour}", favs.GetProperty("group_key").GetString());
        Assert.AreEqual(9, favs.GetProperty("notifications_count").GetInt32());
        CollectionAssert.AreEqual(s.Fans.Skip(1).Reverse().Select(f => f.Id).ToArray(), Ids(favs.GetProperty("sample_account_ids")), "the 8 most recent accounts, newest first");
        Assert.AreEqual(s.Favourites[^1], favs.GetProperty("most_recent_notification_id").GetString());
        Assert.AreEqual(s.Favourites[^1], favs.GetProperty("page_max_id").GetString());
        Assert.AreEqual(s.Favourites[0], favs.GetProperty("page_min_id").GetString());
        Assert.AreEqual(s.S1, favs.GetProperty("status_id").GetString());

        var follows = groups[3];
        Assert.AreEqual($"follow-{WindowHour}", follows.GetProperty("group_key").GetString());
        Assert.AreEqual(2, follows.GetProperty("notifications_count").GetInt32());
        Assert.IsFalse(follows.TryGetProperty("status_id", out _), "a follow group has no status");
        Assert.AreEqual(2, groups[4].GetProperty("notifications_count").GetInt32());
        Assert.MatchesRegex(@"^ungrouped-\d{18}$", groups[1].GetProperty("group_key").GetString()!);
        Assert.AreEqual(1, groups[1].GetProperty("notifications_count").GetInt32());

        // Accounts and statuses once each: every fan, and alice as the author of both statuses.
        var accountIds = Ids(body.GetProperty("accounts"));
        Assert.HasCount(accountIds.Distinct().Count(), accountIds, "accounts are deduplicated");
        CollectionAssert.IsSubsetOf(s.Fans.Select(f => f.Id).Append(s.Alice.Id).ToArray(), accountIds);
        CollectionAssert.AreEquivalent(new[] { s.S1, s.S2 }, Ids(body.GetProperty("statuses")));

        // v1 shows the same group key on each notification (docs: entities/Notification#group_key).
        var (_, v1) = await _api.GetAsync("/api/v1/notifications?types[]=favourite&limit=80", s.Token);
        Assert.AreEqual(favs.GetProperty("group_key").GetString(), v1.EnumerateArray().Last().GetProperty("group_key").GetString());
    }

    [TestMethod]
    public async Task Results_and_groups_have_every_documented_field_with_its_type()
    {
        var s = await SeedAsync();
        var (_, body) = await _api.GetAsync("/api/v2/notifications", s.Token);
        AssertShape(body, new() { ["accounts"] = JsonValueKind.Array, ["statuses"] = JsonValueKind.Array, ["notification_groups"] = JsonValueKind.Array });
        Assert.IsFalse(body.TryGetProperty("partial_accounts", out _), "partial_accounts only with expand_accounts=partial_avatars");
        foreach (var group in body.GetProperty("notification_groups").EnumerateArray())
        {
            AssertShape(group, new()
            {
                ["group_key"] = JsonValueKind.String,
                ["notifications_count"] = JsonValueKind.Number,
                ["type"] = JsonValueKind.String,
                ["most_recent_notification_id"] = JsonValueKind.String,
                ["page_min_id"] = JsonValueKind.String,
                ["page_max_id"] = JsonValueKind.String,
                ["latest_page_notification_at"] = JsonValueKind.String,
                ["sample_account_ids"] = JsonValueKind.Array,
            });
            Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", group.GetProperty("latest_page_notification_at").GetString()!);
            Assert.AreEqual(group.GetProperty("type").GetString() != "follow", group.TryGetProperty("status_id", out var sid) && sid.ValueKind == JsonValueKind.String);
        }

        foreach (var account in body.GetProperty("accounts").EnumerateArray())
        {
            AssertShape(account, new() { ["id"] = JsonValueKind.String, ["acct"] = JsonValueKind.String, ["avatar"] = JsonValueKind.String, ["fields"] = JsonValueKind.Array });
        }

        Assert.AreEqual("2026-11-20T01:09:00.000Z", body.GetProperty("notification_groups")[5].GetProperty("latest_page_notification_at").GetString());
    }

    [TestMethod]
    public async Task Pages_follow_the_link_header_and_every_group_is_reached()
    {
        var s = await SeedAsync();
        var seen = new List<string>();
        var path = "/api/v2/notifications?limit=2";
        for (var pageNo = 0; path is not null; pageNo++)
        {
            Assert.IsTrue(pageNo < 10, "pagination must end");
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", s.Token);
            using var response = await _instance.Http.SendAsync(request);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var groups = body.GetProperty("notification_groups").EnumerateArray().ToList();
            Assert.IsTrue(groups.Count <= 2, "at most limit groups");
            seen.AddRange(groups.Select(g => g.GetProperty("group_key").GetString()!));
            var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : "";
            if (pageNo == 0)
            {
                StringAssert.Contains(link, "rel=\"prev\"");
                StringAssert.Contains(link, $"min_id={groups[0].GetProperty("most_recent_notification_id").GetString()}");
                StringAssert.Contains(link, "limit=2", "the other parameters are kept");
            }

            path = NextLink().Match(link) is { Success: true } m ? new Uri(m.Groups[1].Value).PathAndQuery : null;
        }

        CollectionAssert.AreEquivalent(
            new[] { $"favourite-{s.S2}-{WindowHour}", $"follow-{WindowHour}", $"reblog-{s.S1}-{WindowHour}", $"favourite-{s.S1}-{WindowHour}", $"ungrouped-{s.Mentions[0]}", $"ungrouped-{s.Mentions[1]}" },
            seen.Distinct().ToArray());

        // min_id gives the groups just above the cursor, newest first.
        var (_, newer) = await _api.GetAsync($"/api/v2/notifications?min_id={s.Favourites[^1]}&limit=2", s.Token);
        CollectionAssert.AreEqual(new[] { $"follow-{WindowHour}", $"reblog-{s.S1}-{WindowHour}" }, newer.GetProperty("notification_groups").EnumerateArray().Select(g => g.GetProperty("group_key").GetString()).ToArray());
    }

    [TestMethod]
    public async Task One_group_its_accounts_and_dismissing_it()
    {
        var s = await SeedAsync();
        var key = $"favourite-{s.S1}-{WindowHour}";
        var (status, one) = await _api.GetAsync($"/api/v2/notifications/{key}", s.Token);
        Assert.AreEqual(HttpStatusCode.OK, status, one.ToString());
        var group = one.GetProperty("notification_groups").EnumerateArray().Single();
        Assert.AreEqual(9, group.GetProperty("notifications_count").GetInt32());
        Assert.IsFalse(group.TryGetProperty("page_min_id", out _), "page fields only when paginating");
        CollectionAssert.AreEqual(new[] { s.S1 }, Ids(one.GetProperty("statuses")));

        var (_, accounts) = await _api.GetAsync($"/api/v2/notifications/{key}/accounts", s.Token);
        CollectionAssert.AreEqual(s.Fans.AsEnumerable().Reverse().Select(f => f.Id).ToArray(), Ids(accounts), "all nine, newest first");

        var (_, mention) = await _api.GetAsync($"/api/v2/notifications/ungrouped-{s.Mentions[0]}", s.Token);
        Assert.AreEqual("mention", mention.GetProperty("notification_groups")[0].GetProperty("type").GetString());

        var (dismissed, empty) = await _api.SendAsync(HttpMethod.Post, $"/api/v2/notifications/{key}/dismiss", s.Token);
        Assert.AreEqual(HttpStatusCode.OK, dismissed);
        Assert.AreEqual("{}", empty.ToString());
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v2/notifications/{key}", s.Token)).Status);
        var (_, v1) = await _api.GetAsync("/api/v1/notifications?limit=80", s.Token);
        Assert.AreEqual(1, v1.EnumerateArray().Count(n => n.GetProperty("type").GetString() == "favourite"), "only the favourite of the other status is left");
        Assert.AreEqual(7, v1.GetArrayLength());
    }

    [TestMethod]
    public async Task Unread_count_counts_groups_newer_than_the_marker()
    {
        var s = await SeedAsync();
        Assert.AreEqual(6, (await _api.GetAsync("/api/v2/notifications/unread_count", s.Token)).Body.GetProperty("count").GetInt32());
        Assert.AreEqual(2, (await _api.GetAsync("/api/v2/notifications/unread_count?limit=2", s.Token)).Body.GetProperty("count").GetInt32());
        Assert.AreEqual(16, (await _api.GetAsync("/api/v2/notifications/unread_count?grouped_types[]=mention", s.Token)).Body.GetProperty("count").GetInt32(), "nothing grouped: one per notification");
        Assert.AreEqual(4, (await _api.GetAsync("/api/v2/notifications/unread_count?exclude_types[]=mention", s.Token)).Body.GetProperty("count").GetInt32());

        var (marked, _) = await _api.SendAsync(HttpMethod.Post, "/api/v1/markers", s.Token, ApiTestClient.Json(new Dictionary<string, object> { ["notifications"] = new { last_read_id = s.Follows[^1] } }));
        Assert.AreEqual(HttpStatusCode.OK, marked);
        Assert.AreEqual(3, (await _api.GetAsync("/api/v2/notifications/unread_count", s.Token)).Body.GetProperty("count").GetInt32(), "two mentions and the favourite of S2");
        var all = (await _api.GetAsync("/api/v1/notifications?limit=80", s.Token)).Body.EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        var newer = all.Count(id => PageRequest.Compare(id, s.Follows[^1]) > 0);
        Assert.AreEqual(newer, (await _api.GetAsync("/api/v1/notifications/unread_count", s.Token)).Body.GetProperty("count").GetInt32(), "v1 counts notifications past the marker too");
        Assert.AreEqual(all.Count - 1, (await _api.GetAsync($"/api/v1/notifications/unread_count?since_id={all[^1]}", s.Token)).Body.GetProperty("count").GetInt32(), "an explicit since_id wins over the marker");
    }

    [TestMethod]
    public async Task Partial_avatars_render_only_each_groups_most_recent_account_in_full()
    {
        var s = await SeedAsync();
        var (status, body) = await _api.GetAsync("/api/v2/notifications?expand_accounts=partial_avatars", s.Token);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        var full = Ids(body.GetProperty("accounts"));
        var partial = body.GetProperty("partial_accounts").EnumerateArray().ToList();

        // Full: fan 1 (favourite of S2, follows, boosts), fan 3 (mentions), fan 9 (favourites of S1), fan 2, alice.
        CollectionAssert.AreEquivalent(new[] { s.Fans[0].Id, s.Fans[2].Id, s.Fans[1].Id, s.Fans[8].Id, s.Alice.Id }, full);
        CollectionAssert.AreEquivalent(new[] { s.Fans[3].Id, s.Fans[4].Id, s.Fans[5].Id, s.Fans[6].Id, s.Fans[7].Id }, partial.Select(p => p.GetProperty("id").GetString()).ToArray());
        foreach (var p in partial)
        {
            CollectionAssert.AreEquivalent(new[] { "id", "acct", "url", "avatar", "avatar_static", "locked", "bot" }, p.EnumerateObject().Select(o => o.Name).ToArray());
            AssertShape(p, new() { ["id"] = JsonValueKind.String, ["acct"] = JsonValueKind.String, ["url"] = JsonValueKind.String, ["avatar"] = JsonValueKind.String, ["avatar_static"] = JsonValueKind.String, ["locked"] = JsonValueKind.False, ["bot"] = JsonValueKind.False });
        }

        Assert.AreEqual(8, body.GetProperty("notification_groups")[5].GetProperty("sample_account_ids").GetArrayLength(), "samples still list every account");
    }

    [TestMethod]
    public async Task Grouped_types_narrow_what_is_grouped()
    {
        var s = await SeedAsync();
        var (_, body) = await _api.GetAsync("/api/v2/notifications?grouped_types[]=follow&types[]=favourite&types[]=follow", s.Token);
        var groups = body.GetProperty("notification_groups").EnumerateArray().ToList();
        Assert.HasCount(11, groups, "10 favourites each on their own, one follow group");
        Assert.AreEqual(1, groups.Count(g => g.GetProperty("group_key").GetString()!.StartsWith("follow-", StringComparison.Ordinal)));
        Assert.IsTrue(groups.Where(g => g.GetProperty("type").GetString() == "favourite").All(g => g.GetProperty("group_key").GetString()!.StartsWith("ungrouped-", StringComparison.Ordinal)));

        var (_, fromFan9) = await _api.GetAsync($"/api/v2/notifications?account_id={s.Fans[8].Id}", s.Token);
        Assert.AreEqual(1, fromFan9.GetProperty("notification_groups")[0].GetProperty("notifications_count").GetInt32());
    }

    [TestMethod]
    public async Task Scopes_are_enforced()
    {
        var s = await SeedAsync();
        var (_, readOnly) = await _api.AccountAsync($"gnr{ApiTestClient.Next()}", "read:notifications");
        var (_, writeOnly) = await _api.AccountAsync($"gnw{ApiTestClient.Next()}", "write:notifications");
        var (_, statusesOnly) = await _api.AccountAsync($"gns{ApiTestClient.Next()}", "read:statuses");
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v2/notifications", null)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await _api.GetAsync("/api/v2/notifications", readOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v2/notifications", writeOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v2/notifications/unread_count", statusesOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.GetAsync($"/api/v2/notifications/follow-{WindowHour}", writeOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Post, $"/api/v2/notifications/follow-{WindowHour}/dismiss", readOnly)).Status);

        // Another account's token sees none of alice's groups, and cannot dismiss them.
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Post, $"/api/v2/notifications/follow-{WindowHour}/dismiss", writeOnly)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await _api.GetAsync($"/api/v2/notifications/follow-{WindowHour}", s.Token)).Status);
    }

    [TestMethod]
    public async Task Unknown_or_malformed_group_keys_and_parameters_are_refused_in_json()
    {
        var s = await SeedAsync();
        foreach (var key in new[] { "ungrouped-117684648624352871", "follow-13", $"favourite-{s.S1}-5", $"favourite-12-{WindowHour}", "mention-1-2", "policy" })
        {
            var (status, body) = await _api.GetAsync($"/api/v2/notifications/{key}", s.Token);
            Assert.AreEqual(HttpStatusCode.NotFound, status, key);
            Assert.AreEqual(JsonValueKind.String, body.GetProperty("error").ValueKind, key);
            Assert.AreEqual(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Post, $"/api/v2/notifications/{key}/dismiss", s.Token)).Status, key);
            Assert.AreEqual(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v2/notifications/{key}/accounts", s.Token)).Status, key);
        }

        var (bad, error) = await _api.GetAsync("/api/v2/notifications?expand_accounts=everything", s.Token);
        Assert.AreEqual(HttpStatusCode.BadRequest, bad);
        StringAssert.Contains(error.GetProperty("error").GetString(), "expand_accounts");
        Assert.HasCount(16, (await _api.GetAsync("/api/v1/notifications?limit=80", s.Token)).Body.EnumerateArray().ToList(), "nothing was removed");
    }

    /// <summary>
    /// A fresh alice with statuses S1 and S2 and, one minute apart from <see cref="T0"/>: nine favourites of S1 (fans
    /// 1-9), boosts of S1 by fans 1 and 2, follows by fans 1 and 2, mentions by fan 3 (twice), a favourite of S2 by fan 1.
    /// </summary>
    private static async Task<Seed> SeedAsync()
    {
        var n = ApiTestClient.Next();
        var (alice, token) = await _api.AccountAsync($"gn{n}alice");
        var fans = new List<LocalAccount>();
        for (var i = 1; i <= 9; i++)
        {
            fans.Add(await _instance.CreateAccountAsync($"gn{n}fan{i}"));
        }

        var s1 = await _api.PostAsync(token, "First");
        var s2 = await _api.PostAsync(token, "Second");
        var clock = new FakeTimeProvider(T0);
        var store = new NotificationStore(_instance.Services.GetRequiredService<FediTables>(), clock);
        var urls = _instance.Services.GetRequiredService<InstanceUrls>();
        var ids = new List<string>();
        async Task<string> Add(NotificationType type, LocalAccount from, string? status)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await store.AddAsync(alice.Id, type, urls.Actor(from.Username), status, $"cause-{ApiTestClient.Next()}", CancellationToken.None);
            var (_, latest) = await _api.GetAsync("/api/v1/notifications?limit=1", token);
            return latest[0].GetProperty("id").GetString()!;
        }

        var favourites = new List<string>();
        foreach (var fan in fans)
        {
            favourites.Add(await Add(NotificationType.Favourite, fan, s1));
        }

        await Add(NotificationType.Reblog, fans[0], s1);
        await Add(NotificationType.Reblog, fans[1], s1);
        var follows = new List<string> { await Add(NotificationType.Follow, fans[0], null), await Add(NotificationType.Follow, fans[1], null) };
        var mentions = new List<string> { await Add(NotificationType.Mention, fans[2], s1), await Add(NotificationType.Mention, fans[2], s1) };
        await Add(NotificationType.Favourite, fans[0], s2);
        return new Seed(alice, token, fans, s1, s2, favourites, follows, mentions);
    }

    private static string[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("id").GetString()!).ToArray();

    private static void AssertShape(JsonElement entity, Dictionary<string, JsonValueKind> expected)
    {
        var missing = expected.Keys.Where(k => !entity.TryGetProperty(k, out _)).ToList();
        Assert.IsEmpty(missing, "missing: " + string.Join(", ", missing) + " in " + entity);
        foreach (var (name, kind) in expected)
        {
            Assert.AreEqual(kind, entity.GetProperty(name).ValueKind, name);
        }
    }

    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLink();

    private sealed record Seed(LocalAccount Alice, string Token, List<LocalAccount> Fans, string S1, string S2, List<string> Favourites, List<string> Follows, List<string> Mentions);
}
