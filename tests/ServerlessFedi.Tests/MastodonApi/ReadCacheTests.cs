using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Filters;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// The read path's per-process caches (issue 13): what a page costs in storage transactions once warm, that a change
/// made in this process shows at once, and that a change written by another instance (stores of their own over the same
/// tables) shows within the documented bound (<see cref="StatusStore.RecentLifetime"/>, <see cref="AccountStore.RecentLifetime"/>,
/// <see cref="FollowingStore.RecentLifetime"/>, <see cref="FilterStore.RecentLifetime"/>), moved by the fake clock.
/// </summary>
[TestClass]
public sealed class ReadCacheTests
{
    private static GoldenInstance _g = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _) => _g = await GoldenInstance.StartCountedAsync();

    [ClassCleanup]
    public static async Task Stop() => await _g.DisposeAsync();

    [TestMethod]
    public async Task A_warm_home_timeline_page_of_20_costs_at_most_5_storage_transactions()
    {
        var (alice, aliceToken) = await _g.AccountAsync("rcthome1");
        var (bob, bobToken) = await _g.AccountAsync("rcthome2");
        var (carol, carolToken) = await _g.AccountAsync("rcthome3");
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow", aliceToken);
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/follow", aliceToken);
        var ids = new List<string>();
        for (var i = 0; i < 22; i++)
        {
            var body = i == 3
                ? await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", bobToken, new { status = "Which day?", poll = new { options = new[] { "Monday", "Friday" }, expires_in = 86_400 } })
                : await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", i % 2 == 0 ? bobToken : carolToken, new { status = $"Update number {i}" });
            ids.Add(body.GetProperty("id").GetString()!);
        }

        await _g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{ids[4]}/favourite", aliceToken);
        await _g.DrainAsync();

        var (cold, coldCount) = await PageAsync("/api/v1/timelines/home?limit=20", aliceToken);
        var (warm, warmCount) = await PageAsync("/api/v1/timelines/home?limit=20", aliceToken);

        Assert.AreEqual(20, warm.GetArrayLength(), "a full page");
        Assert.AreEqual(cold.ToString(), warm.ToString(), "a warm page shows what the cold one showed");
        Assert.IsTrue(warm.EnumerateArray().Any(s => s.GetProperty("id").GetString() == ids[4] && s.GetProperty("favourited").GetBoolean()), "the viewer's marks are on the page");
        Assert.IsLessThanOrEqualTo(5, warmCount, $"warm home page of 20: {warmCount} transactions (cold {coldCount})");
        Assert.IsGreaterThan(warmCount, coldCount, "the cold page reads what the warm one finds in memory");
    }

    [TestMethod]
    public async Task A_warm_notifications_page_of_30_costs_at_most_6_storage_transactions()
    {
        var (_, aliceToken) = await _g.AccountAsync("rctnote1");
        var (_, bobToken) = await _g.AccountAsync("rctnote2");
        var (_, carolToken) = await _g.AccountAsync("rctnote3");
        for (var i = 0; i < 10; i++)
        {
            var id = (await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = $"Notice {i}" })).GetProperty("id").GetString();
            await _g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/favourite", bobToken);
            await _g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/favourite", carolToken);
            await _g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/reblog", bobToken);
        }

        await _g.DrainAsync();
        var (_, coldCount) = await PageAsync("/api/v1/notifications?limit=30", aliceToken);
        var (warm, warmCount) = await PageAsync("/api/v1/notifications?limit=30", aliceToken);

        Assert.AreEqual(30, warm.GetArrayLength(), "a full page");
        Assert.IsLessThanOrEqualTo(6, warmCount, $"warm notifications page of 30: {warmCount} transactions (cold {coldCount})");
    }

    [TestMethod]
    public async Task Changes_made_in_this_process_show_at_once()
    {
        var (_, daveToken) = await _g.AccountAsync("rctnow1");
        var (erin, erinToken) = await _g.AccountAsync("rctnow2");
        var (_, frankToken) = await _g.AccountAsync("rctnow3");
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{erin.Id}/follow", daveToken);
        var zebra = await PostAsync(erinToken, "A zebra crossing opens");
        var plain = await PostAsync(erinToken, "Plain words");
        var doomed = await PostAsync(erinToken, "Soon gone");
        await _g.DrainAsync();
        const string Home = "/api/v1/timelines/home?limit=20";

        await PageAsync(Home, daveToken);
        await _g.Services.GetRequiredService<AccountProfileStore>().UpdateProfileAsync(erin.Username, "Erin Renamed", null, null);
        Assert.AreEqual("Erin Renamed", Find(await HomeAsync(daveToken), plain).GetProperty("account").GetProperty("display_name").GetString(), "display name");

        await _g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{plain}/favourite", frankToken);
        Assert.AreEqual(1, Find(await HomeAsync(daveToken), plain).GetProperty("favourites_count").GetInt32(), "favourite count");

        await _g.DoAsync(HttpMethod.Put, $"/api/v1/statuses/{plain}", erinToken, new { status = "Edited words" });
        StringAssert.Contains(Find(await HomeAsync(daveToken), plain).GetProperty("content").GetString(), "Edited words", "edit");

        await _g.DoAsync(HttpMethod.Delete, $"/api/v1/statuses/{doomed}", erinToken);
        Assert.IsFalse(Ids(await HomeAsync(daveToken)).Contains(doomed), "deletion");

        await _g.DoAsync(HttpMethod.Post, "/api/v2/filters", daveToken, new { title = "Animals", context = new[] { "home" }, filter_action = "hide", keywords_attributes = new[] { new { keyword = "zebra" } } });
        var filtered = Ids(await HomeAsync(daveToken));
        Assert.IsFalse(filtered.Contains(zebra), "a new filter");
        Assert.IsTrue(filtered.Contains(plain));

        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{erin.Id}/block", daveToken);
        Assert.IsFalse(Ids(await HomeAsync(daveToken)).Contains(plain), "a new block");
    }

    [TestMethod]
    public async Task Changes_written_by_another_instance_show_within_the_documented_bounds()
    {
        var (gina, ginaToken) = await _g.AccountAsync("rctelse1");
        var (hal, halToken) = await _g.AccountAsync("rctelse2");
        var (ivan, ivanToken) = await _g.AccountAsync("rctelse3");
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{hal.Id}/follow", ginaToken);
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{ivan.Id}/follow", ginaToken);
        var halPost = await PostAsync(halToken, "Original words");
        var zebra = await PostAsync(halToken, "A zebra crossing opens");
        var ivanPost = await PostAsync(ivanToken, "From ivan");
        await _g.DrainAsync();
        const string Home = "/api/v1/timelines/home?limit=20";
        await PageAsync(Home, ginaToken);

        // Another instance: stores of its own over the same tables, so nothing of this process is told.
        var tables = _g.Services.GetRequiredService<FediTables>();
        var otherAccounts = new AccountStore(tables, new SnowflakeIds(_g.Time), _g.Time);
        var otherStatuses = new StatusStore(tables);
        await new AccountProfileStore(tables, otherAccounts).UpdateProfileAsync(hal.Username, "Hal Elsewhere", null, null);
        var original = (await otherStatuses.GetAsync(halPost, CancellationToken.None))!;
        await otherStatuses.ReplaceAsync(original with { Text = "Changed elsewhere", ContentHtml = "<p>Changed elsewhere</p>" }, CancellationToken.None);
        await new InteractionStore(tables, _g.Time).Counts.ApplyAsync(halPost, InteractionKind.Favourite, "https://elsewhere.example/users/fan", 1, CancellationToken.None);
        await new FilterStore(tables, _g.Time).SaveAsync(new Filter { Id = new SnowflakeIds(_g.Time).Next(), AccountId = gina.Id, Title = "Animals", Context = ["home"], Action = "hide", Keywords = [new FilterKeyword("1", "zebra", false)] }, CancellationToken.None);
        await new FollowingStore(tables, otherAccounts, _g.Time).SetRelationAsync(RelationshipService.Block, gina.Id, _g.Services.GetRequiredService<ServerlessFedi.Configuration.InstanceUrls>().Actor(ivan.Username), ivan.Id, true, CancellationToken.None);

        var stale = await HomeAsync(ginaToken);
        Assert.AreEqual("rctelse2", Find(stale, halPost).GetProperty("account").GetProperty("display_name").GetString(), "this process still shows its copy: the caches are in use");

        _g.Time.Advance(StatusStore.RecentLifetime + TimeSpan.FromSeconds(1));
        var rows = Find(await HomeAsync(ginaToken), halPost);
        StringAssert.Contains(rows.GetProperty("content").GetString(), "Changed elsewhere", "an edit elsewhere shows within StatusStore.RecentLifetime");
        Assert.AreEqual(1, rows.GetProperty("favourites_count").GetInt32(), "a count written elsewhere shows within StatusStore.RecentLifetime");

        _g.Time.Advance(AccountStore.RecentLifetime);
        var later = await HomeAsync(ginaToken);
        Assert.AreEqual("Hal Elsewhere", Find(later, halPost).GetProperty("account").GetProperty("display_name").GetString(), "a display name changed elsewhere shows within AccountStore.RecentLifetime");
        Assert.IsFalse(Ids(later).Contains(zebra), "a filter made elsewhere applies within FilterStore.RecentLifetime");
        Assert.IsFalse(Ids(later).Contains(ivanPost), "a block made elsewhere applies within FollowingStore.RecentLifetime");
    }

    private static async Task<string> PostAsync(string token, string text) =>
        (await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = text })).GetProperty("id").GetString()!;

    private static async Task<JsonElement> HomeAsync(string token) => (await PageAsync("/api/v1/timelines/home?limit=20", token)).Body;

    /// <summary>A GET at the current fake time (not advanced), with the storage transactions it cost.</summary>
    private static Task<(JsonElement Body, int Transactions)> PageAsync(string path, string token) =>
        _g.Transactions.SendAsync(_g.Instance.Http, HttpMethod.Get, path, token);

    private static JsonElement Find(JsonElement page, string statusId) =>
        page.EnumerateArray().Single(s => s.GetProperty("id").GetString() == statusId);

    private static HashSet<string> Ids(JsonElement page) => page.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
}
