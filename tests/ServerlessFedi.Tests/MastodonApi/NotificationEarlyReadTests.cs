using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Notifications;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// <c>GET /api/v1/notifications</c> reads its first range query beside the bearer token's (<see cref="ServerlessFedi.MastodonApi.ApiEndpoint"/>'s
/// early read, keyed by the account id in front of the token) and continues the page from it once the viewer's filter
/// is known: a warm page in 2 sequential storage steps, with the pages, filters, cursors and links it had before, and
/// nothing of another account's notifications for a token that only names that account.
/// </summary>
[TestClass]
public sealed class NotificationEarlyReadTests
{
    private static GoldenInstance _g = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _) => _g = await GoldenInstance.StartCountedAsync();

    [ClassCleanup]
    public static async Task Stop() => await _g.DisposeAsync();

    [TestMethod]
    public async Task A_warm_notifications_page_takes_2_sequential_storage_steps_and_3_transactions()
    {
        var s = await SeedAsync("nerwarm");
        const string Path = "/api/v1/notifications?limit=30";
        var pages = await _g.Transactions.ColdThenWarmAsync(_g.Instance.Http, Path, s.Token);
        var (cold, warm, seen) = (pages.Cold, pages.Warm, pages.Seen);
        Assert.AreEqual(HttpStatusCode.OK, cold.Status, cold.Text);
        CollectionAssert.AreEqual(s.Newest(30), IdsOf(cold.Text), "the newest 30");
        foreach (var w in warm)
        {
            Assert.AreEqual(cold.Text, w.Text, "a warm page shows what the cold one showed");
            Assert.AreEqual(3, w.Transactions, "token (with its account), the range query, the marks: " + seen);
        }

        // The token's read and the range query are sent together; counted by what is in flight, timing can only add a step.
        Assert.AreEqual(2, warm.Min(w => w.Steps), "the range query beside the token's read, then the marks: " + seen);
    }

    [TestMethod]
    public async Task A_token_that_names_another_account_gets_401_and_never_its_notifications()
    {
        var s = await SeedAsync("nerforge");
        var (_, malloryToken) = await _g.AccountAsync("nerforgem");
        var secret = malloryToken[malloryToken.IndexOf('.', StringComparison.Ordinal)..];
        string[] forged = [s.Alice.Id + secret, s.Alice.Id + "." + ServerlessFedi.OAuth.OAuthSecrets.NewToken()];

        foreach (var token in forged)
        {
            var refused = await _g.Transactions.SendCountedAsync(_g.Instance.Http, HttpMethod.Get, "/api/v1/notifications", token);
            Assert.AreEqual(HttpStatusCode.Unauthorized, refused.Status, token);
            Assert.IsFalse(s.Ids.Values.Any(id => refused.Text.Contains(id, StringComparison.Ordinal)), "nothing of alice's notifications: " + refused.Text);
            Assert.IsLessThanOrEqualTo(2, refused.Transactions, "the token's read and the dropped range query, nothing more");
        }

        var garbage = await _g.Transactions.SendCountedAsync(_g.Instance.Http, HttpMethod.Get, "/api/v1/notifications", "not-a-token");
        Assert.AreEqual(HttpStatusCode.Unauthorized, garbage.Status);
        Assert.IsLessThanOrEqualTo(1, garbage.Transactions, "a token that names no account starts no early read");

        var mallorys = await _g.Transactions.SendCountedAsync(_g.Instance.Http, HttpMethod.Get, "/api/v1/notifications", malloryToken);
        Assert.AreEqual(HttpStatusCode.OK, mallorys.Status, mallorys.Text);
        Assert.AreEqual("[]", mallorys.Text, "mallory's own (empty) notifications");
        CollectionAssert.AreEqual(s.Newest(40), (await PageAsync("/api/v1/notifications", s.Token)).Ids, "alice's token still reads hers");
    }

    [TestMethod]
    public async Task Filters_continue_from_the_early_batch_when_its_40_rows_are_mostly_filtered_out()
    {
        var s = await SeedAsync("nerfilter");

        // The first 40 rows hold only two follows (dave's); carol's are in the second batch.
        CollectionAssert.AreEqual(s.Of("D2", "D1", "C8"), (await PageAsync("/api/v1/notifications?types[]=follow&limit=3", s.Token)).Ids, "types, before any mute");

        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{s.Dave.Id}/mute", s.Token);
        var follows = await PageAsync("/api/v1/notifications?types[]=follow&limit=5", s.Token);
        CollectionAssert.AreEqual(s.Of("C8", "C7", "C6", "C5", "C4"), follows.Ids, "a muted sender hidden, the page filled from the second batch");
        StringAssert.Contains(follows.Link, $"max_id={s.Ids["C4"]}>; rel=\"next\"", "next follows the last id shown");
        StringAssert.Contains(follows.Link, "types%5B%5D=follow&", "the filter stays in the links");
        CollectionAssert.AreEqual(s.Of("C3", "C2", "C1"), (await PageAsync($"/api/v1/notifications?types[]=follow&limit=5&max_id={s.Ids["C4"]}", s.Token)).Ids, "the next page");
        CollectionAssert.AreEqual(s.Of("C8", "C7", "C6", "C5", "C4"), (await PageAsync("/api/v1/notifications?exclude_types[]=favourite&limit=5", s.Token)).Ids, "exclude_types");
        CollectionAssert.AreEqual(s.Of("C8", "C7", "C6", "C5", "C4"), (await PageAsync($"/api/v1/notifications?account_id={s.Carol.Id}&limit=5", s.Token)).Ids, "account_id");
        CollectionAssert.AreEqual(Array.Empty<string>(), (await PageAsync($"/api/v1/notifications?account_id={s.Dave.Id}", s.Token)).Ids, "a muted sender's own page");
        CollectionAssert.AreEqual(s.Newest(80).Where(id => id != s.Ids["D1"] && id != s.Ids["D2"]).ToList(), (await PageAsync("/api/v1/notifications?limit=80", s.Token)).Ids, "unfiltered but the muted");

        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{s.Dave.Id}/unmute", s.Token);
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{s.Dave.Id}/block", s.Token);
        CollectionAssert.AreEqual(s.Of("C8", "C7"), (await PageAsync("/api/v1/notifications?types[]=follow&limit=2", s.Token)).Ids, "a blocked sender hidden");
    }

    [TestMethod]
    public async Task Paging_with_max_id_since_id_min_id_and_limit_answers_the_pages_next_to_the_cursors()
    {
        var s = await SeedAsync("nerpaging");
        var first = await PageAsync("/api/v1/notifications?limit=10", s.Token);
        CollectionAssert.AreEqual(s.Newest(10), first.Ids);
        StringAssert.Contains(first.Link, $"max_id={s.Ids["B36"]}>; rel=\"next\"");
        StringAssert.Contains(first.Link, $"min_id={s.Ids["B45"]}>; rel=\"prev\"");

        var all = new List<string>(first.Ids);
        var next = first.Link;
        while (next.Contains("rel=\"next\"", StringComparison.Ordinal))
        {
            var cursor = next[(next.IndexOf("max_id=", StringComparison.Ordinal) + 7)..next.IndexOf('>', StringComparison.Ordinal)];
            var page = await PageAsync($"/api/v1/notifications?limit=10&max_id={cursor}", s.Token);
            all.AddRange(page.Ids);
            next = page.Link;
        }

        CollectionAssert.AreEqual(s.Newest(55), all, "following next links reads every notification once, newest first");
        CollectionAssert.AreEqual(s.Of("B45", "B44", "B43", "B42", "B41"), (await PageAsync($"/api/v1/notifications?since_id={s.Ids["B40"]}", s.Token)).Ids, "since_id");
        CollectionAssert.AreEqual(s.Of("B45", "B44", "B43"), (await PageAsync($"/api/v1/notifications?since_id={s.Ids["C8"]}&limit=3", s.Token)).Ids, "since_id: the newest");
        CollectionAssert.AreEqual(s.Of("B45", "B44", "B43", "B42", "B41"), (await PageAsync($"/api/v1/notifications?min_id={s.Ids["B40"]}", s.Token)).Ids, "min_id");
        CollectionAssert.AreEqual(s.Of("B3", "B2", "B1"), (await PageAsync($"/api/v1/notifications?min_id={s.Ids["C8"]}&limit=3", s.Token)).Ids, "min_id: the ones just above it, not the newest of its batch");
        CollectionAssert.AreEqual(s.Of("D1", "C8", "C7"), (await PageAsync($"/api/v1/notifications?types[]=follow&min_id={s.Ids["C6"]}&limit=3", s.Token)).Ids, "min_id filtered: within its one batch");
        CollectionAssert.AreEqual(s.Of("B19", "B18", "B17", "B16"), (await PageAsync($"/api/v1/notifications?max_id={s.Ids["B20"]}&since_id={s.Ids["B15"]}", s.Token)).Ids, "between");
        CollectionAssert.AreEqual(s.Newest(55), (await PageAsync("/api/v1/notifications?limit=200", s.Token)).Ids, "limit capped at 80");
        var byDefault = await PageAsync("/api/v1/notifications?limit=abc", s.Token);
        CollectionAssert.AreEqual(s.Newest(40), byDefault.Ids, "limit 40 by default");
        StringAssert.Contains(byDefault.Link, "rel=\"next\"", "a full page links on");
    }

    [TestMethod]
    public async Task A_page_refuses_a_first_batch_read_for_another_account_or_cursor()
    {
        var s = await SeedAsync("nerstore");
        var store = _g.Services.GetRequiredService<NotificationStore>();
        var carols = await store.FirstBatchAsync(s.Carol.Id, null, null, null, CancellationToken.None);
        var alices = await store.FirstBatchAsync(s.Alice.Id, s.Ids["B40"], null, null, CancellationToken.None);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => store.PageAsync(s.Alice.Id, null, null, null, 5, _ => true, CancellationToken.None, carols));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => store.PageAsync(s.Alice.Id, null, null, null, 5, _ => true, CancellationToken.None, alices));
        CollectionAssert.AreEqual(s.Of("B39", "B38"), (await store.PageAsync(s.Alice.Id, s.Ids["B40"], null, null, 2, _ => true, CancellationToken.None, alices)).Select(n => n.Id).ToList());
    }

    [TestMethod]
    public async Task A_warm_grouped_notifications_page_takes_2_sequential_storage_steps()
    {
        var s = await SeedAsync("nergwarm");
        const string Path = "/api/v2/notifications?limit=10";
        var pages = await _g.Transactions.ColdThenWarmAsync(_g.Instance.Http, Path, s.Token);
        var (cold, warm, seen) = (pages.Cold, pages.Warm, pages.Seen);
        Assert.AreEqual(HttpStatusCode.OK, cold.Status, cold.Text);
        StringAssert.Contains(cold.Text, s.Ids["B45"], "the newest notification is on the page");
        foreach (var w in warm)
        {
            Assert.AreEqual(cold.Text, w.Text, "a warm page shows what the cold one showed");
            Assert.AreEqual(3, w.Transactions, "token (with its account), the range query, the marks: " + seen);
        }

        Assert.AreEqual(2, warm.Min(w => w.Steps), "the range query beside the token's read, then the marks: " + seen);
    }

    [TestMethod]
    public async Task A_token_that_names_another_account_gets_401_and_never_its_grouped_notifications()
    {
        var s = await SeedAsync("nergforge");
        var (_, malloryToken) = await _g.AccountAsync("nergforgem");
        string[] forged = [s.Alice.Id + malloryToken[malloryToken.IndexOf('.', StringComparison.Ordinal)..], s.Alice.Id + "." + ServerlessFedi.OAuth.OAuthSecrets.NewToken()];

        foreach (var token in forged)
        {
            foreach (var path in new[] { "/api/v2/notifications", $"/api/v2/notifications?min_id={s.Ids["B10"]}" })
            {
                var refused = await _g.Transactions.SendCountedAsync(_g.Instance.Http, HttpMethod.Get, path, token);
                Assert.AreEqual(HttpStatusCode.Unauthorized, refused.Status, token);
                Assert.IsFalse(s.Ids.Values.Any(id => refused.Text.Contains(id, StringComparison.Ordinal)), "nothing of alice's notifications: " + refused.Text);
                Assert.IsLessThanOrEqualTo(2, refused.Transactions, "the token's read and the dropped range query, nothing more");
            }
        }

        var mallorys = await _g.Transactions.SendCountedAsync(_g.Instance.Http, HttpMethod.Get, "/api/v2/notifications", malloryToken);
        Assert.AreEqual(HttpStatusCode.OK, mallorys.Status, mallorys.Text);
        Assert.IsFalse(s.Ids.Values.Any(id => mallorys.Text.Contains(id, StringComparison.Ordinal)), "mallory's own (empty) groups: " + mallorys.Text);
    }

    [TestMethod]
    public async Task A_scan_continues_from_its_first_page_as_it_would_have_read_it()
    {
        var s = await SeedAsync("nerscan");
        var store = _g.Services.GetRequiredService<NotificationStore>();
        (string? Below, string? Above, int PageSize, int MaxRows)[] scans =
        [
            (null, null, 7, 1000), (null, null, 7, 20), (null, null, 7, 21), ("B40", null, 10, 1000), (null, "C8", 200, 1000),
            ("B40", "B10", 5, 12), (null, null, 55, 1000), (null, null, 200, 1000),
        ];

        foreach (var (below, above, pageSize, maxRows) in scans)
        {
            var (belowId, aboveId) = (below is null ? null : s.Ids[below], above is null ? null : s.Ids[above]);
            var expected = await IdsAsync(store.ScanAsync(s.Alice.Id, belowId, aboveId, pageSize, maxRows, CancellationToken.None));
            var first = await store.ScanFirstAsync(s.Alice.Id, belowId, aboveId, pageSize, CancellationToken.None);

            var continued = await IdsAsync(store.ScanAsync(s.Alice.Id, belowId, aboveId, pageSize, maxRows, CancellationToken.None, first));

            var scan = $"below {below}, above {above}, pages of {pageSize}, at most {maxRows}";
            CollectionAssert.AreEqual(expected, continued, scan);
            Assert.IsNotEmpty(expected, scan);
            await Assert.ThrowsExactlyAsync<ArgumentException>(() => IdsAsync(store.ScanAsync(s.Carol.Id, belowId, aboveId, pageSize, maxRows, CancellationToken.None, first)), scan);
            await Assert.ThrowsExactlyAsync<ArgumentException>(() => IdsAsync(store.ScanAsync(s.Alice.Id, belowId, aboveId, pageSize + 1, maxRows, CancellationToken.None, first)), scan);
        }

        static async Task<List<string>> IdsAsync(IAsyncEnumerable<Notification> scan)
        {
            var ids = new List<string>();
            await foreach (var n in scan)
            {
                ids.Add(n.Id);
            }

            return ids;
        }
    }

    /// <summary>
    /// Alice's 55 notifications, oldest first: follows C1-C8 from carol, then favourites B1-B45 of her status from bob
    /// with dave's follows D1 after B10 and D2 after B30. Newest first, the first 40 rows hold B45-B8, D2 and D1.
    /// </summary>
    private static async Task<Seeded> SeedAsync(string prefix)
    {
        var (alice, token) = await _g.AccountAsync(prefix + "a");
        var (bob, _) = await _g.AccountAsync(prefix + "b");
        var (carol, _) = await _g.AccountAsync(prefix + "c");
        var (dave, _) = await _g.AccountAsync(prefix + "d");
        var status = (await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "Noticed" })).GetProperty("id").GetString()!;
        var store = _g.Services.GetRequiredService<NotificationStore>();
        var urls = _g.Services.GetRequiredService<InstanceUrls>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();

        async Task AddAsync(string label, NotificationType type, LocalAccount from, string? statusId)
        {
            _g.Time.Advance(TimeSpan.FromSeconds(1));
            ids[label] = (await store.AddAsync(alice.Id, type, urls.Actor(from.Username), statusId, prefix + label, CancellationToken.None))!;
            order.Insert(0, label);
        }

        for (var i = 1; i <= 8; i++)
        {
            await AddAsync("C" + i, NotificationType.Follow, carol, null);
        }

        for (var i = 1; i <= 45; i++)
        {
            await AddAsync("B" + i, NotificationType.Favourite, bob, status);
            if (i is 10 or 30)
            {
                await AddAsync(i == 10 ? "D1" : "D2", NotificationType.Follow, dave, null);
            }
        }

        return new Seeded(alice, token, carol, dave, ids, order);
    }

    private static async Task<(List<string> Ids, string Link)> PageAsync(string path, string token)
    {
        using var response = await _g.SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        return (IdsOf(text), response.Headers.TryGetValues("Link", out var link) ? string.Join(", ", link) : "");
    }

    private static List<string> IdsOf(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();

    private sealed record Seeded(LocalAccount Alice, string Token, LocalAccount Carol, LocalAccount Dave, IReadOnlyDictionary<string, string> Ids, IReadOnlyList<string> NewestFirst)
    {
        public List<string> Newest(int count) => NewestFirst.Take(count).Select(l => Ids[l]).ToList();

        public List<string> Of(params string[] labels) => labels.Select(l => Ids[l]).ToList();
    }
}
