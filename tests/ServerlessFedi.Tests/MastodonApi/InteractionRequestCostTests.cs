using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Issue 13 item 2: what a favourite and a boost of a local status cost inside the request, through the client API, in
/// storage transactions (as benchmark W counts them). The goal is 6: the token with the account, the status with its
/// pending count rows, the account's mark, the queue message, the count and the caller's marks for the answer. The
/// favourite's or boost's record (<c>favourited_by</c>, <c>reblogged_by</c>) is the queue message's, a hop later; the
/// answer's flags and counts are exact at once. Queue work runs only when drained (<see cref="GoldenInstance"/>).
/// </summary>
[TestClass]
public sealed class InteractionRequestCostTests
{
    private static GoldenInstance _g = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _) => _g = await GoldenInstance.StartCountedAsync();

    [ClassCleanup]
    public static async Task Stop() => await _g.DisposeAsync();

    [TestMethod]
    [DataRow("favourite", "favourited", "favourites_count", "favourited_by")]
    [DataRow("reblog", "reblogged", "reblogs_count", "reblogged_by")]
    public async Task A_favourite_or_boost_of_a_local_status_costs_six_transactions_in_the_request_and_its_record_follows_from_the_queue(string action, string flag, string count, string listing)
    {
        var (_, authorToken) = await _g.AccountAsync("cost" + action + "author");
        var (fan, fanToken) = await _g.AccountAsync("cost" + action + "fan");
        var warm = await PostAsync(authorToken, "Ferry timetable, winter.");
        var target = await PostAsync(authorToken, "Ferry timetable, summer.");

        // Warm-up (tables, the author's recent copy): one of the same, not counted.
        await SendAsync($"/api/v1/statuses/{warm}/{action}", fanToken);
        var (body, transactions) = await SendAsync($"/api/v1/statuses/{target}/{action}", fanToken);

        var status = action == "reblog" ? body.GetProperty("reblog") : body;
        Assert.IsTrue(status.GetProperty(flag).GetBoolean());
        Assert.AreEqual(1, status.GetProperty(count).GetInt32(), "the count is exact in the answer");
        Assert.AreEqual(6, transactions, "token with account, status, mark, queue send, count, the caller's marks (7 before: the record was written in the request)");
        Assert.AreEqual(0, (await _g.DoAsync(HttpMethod.Get, $"/api/v1/statuses/{target}/{listing}", authorToken)).GetArrayLength(), "the record is the queue message's");

        await _g.DrainAsync();
        var listed = await _g.DoAsync(HttpMethod.Get, $"/api/v1/statuses/{target}/{listing}", authorToken);
        CollectionAssert.AreEqual(new[] { fan.Id }, listed.EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToArray(), "a queue hop later");
    }

    private static async Task<string> PostAsync(string token, string text) =>
        (await _g.DoAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = text })).GetProperty("id").GetString()!;

    /// <summary>A POST at the current fake time (not advanced: the author's recent copy stays fresh), with the storage transactions it cost.</summary>
    private static Task<(JsonElement Body, int Transactions)> SendAsync(string path, string token) =>
        _g.Transactions.SendAsync(_g.Instance.Http, HttpMethod.Post, path, token);
}
