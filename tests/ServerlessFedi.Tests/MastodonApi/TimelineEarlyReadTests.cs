using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// The timelines read their range query beside the bearer token's (<see cref="ServerlessFedi.MastodonApi.ApiEndpoint"/>'s
/// early read; a list's ownership too): a warm page of home, public, tag or list is 2 sequential storage steps (the
/// token beside the range query, then the marks), with the transactions it had before.
/// </summary>
[TestClass]
public sealed class TimelineEarlyReadTests
{
    private static GoldenInstance _g = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _) => _g = await GoldenInstance.StartCountedAsync();

    [ClassCleanup]
    public static async Task Stop() => await _g.DisposeAsync();

    [TestMethod]
    [DataRow("home", 3)]
    [DataRow("public", 4)] // the local and the remote timeline's range queries, sent together
    [DataRow("tag", 3)]
    [DataRow("list", 4)] // the list's ownership beside its range query
    public async Task A_warm_timeline_page_takes_2_sequential_storage_steps(string kind, int transactions)
    {
        var (reader, readerToken) = await _g.AccountAsync("ter" + kind);
        var (author, authorToken) = await _g.AccountAsync("tea" + kind);
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{author.Id}/follow", readerToken);
        var listId = (await _g.DoAsync(HttpMethod.Post, "/api/v1/lists", readerToken, new { title = "Agencies" })).GetProperty("id").GetString();
        await _g.DoAsync(HttpMethod.Post, $"/api/v1/lists/{listId}/accounts", readerToken, new { account_ids = new[] { author.Id } });
        var tag = "early" + kind;
        var posted = (await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", authorToken, new { status = $"Notice #{tag}" })).GetProperty("id").GetString()!;
        await _g.DrainAsync();
        var path = kind switch
        {
            "home" => "/api/v1/timelines/home",
            "public" => "/api/v1/timelines/public",
            "tag" => $"/api/v1/timelines/tag/{tag}",
            _ => $"/api/v1/timelines/list/{listId}",
        };

        var pages = await _g.Transactions.ColdThenWarmAsync(_g.Instance.Http, path, readerToken);
        var (cold, warm, seen) = (pages.Cold, pages.Warm, pages.Seen);
        Assert.AreEqual(HttpStatusCode.OK, cold.Status, cold.Text);
        Assert.IsTrue(JsonDocument.Parse(cold.Text).RootElement.EnumerateArray().Any(s => s.GetProperty("id").GetString() == posted), "the post is on the page: " + cold.Text);
        foreach (var w in warm)
        {
            Assert.AreEqual(cold.Text, w.Text, "a warm page shows what the cold one showed");
            Assert.AreEqual(transactions, w.Transactions, seen);
        }

        // The token's read and the range query are sent together; counted by what is in flight, timing can only add a step.
        Assert.AreEqual(2, warm.Min(w => w.Steps), "the range query beside the token's read, then the marks: " + seen);
    }
}
