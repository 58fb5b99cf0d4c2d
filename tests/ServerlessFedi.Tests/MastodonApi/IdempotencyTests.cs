using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.OAuth;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><c>Idempotency-Key</c> on POST /api/v1/statuses: over HTTP, and the key's lifetime under a fake clock.</summary>
[TestClass]
public sealed class IdempotencyTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static string _alicesToken = "";
    private static string _bobsToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice");
        var bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _alicesToken = await tokens.IssueAsync(_alice.Id, ["read", "write"]);
        _bobsToken = await tokens.IssueAsync(bob.Id, ["read", "write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(string token, string? key, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { status = text }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        var response = await _instance.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<long> StatusesCountAsync(string accountId) => (await _instance.Accounts.GetByIdAsync(accountId))!.StatusesCount;

    [TestMethod]
    public async Task The_same_key_twice_answers_the_first_status_and_posts_once()
    {
        var before = await StatusesCountAsync(_alice.Id);

        var (s1, first) = await Post(_alicesToken, "key-once", "Posted once");
        var (s2, second) = await Post(_alicesToken, "key-once", "Posted once");

        Assert.AreEqual(HttpStatusCode.OK, s1, first.ToString());
        Assert.AreEqual(HttpStatusCode.OK, s2, second.ToString());
        Assert.AreEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.AreEqual(first.GetProperty("content").GetString(), second.GetProperty("content").GetString());
        Assert.AreEqual(before + 1, await StatusesCountAsync(_alice.Id));
    }

    [TestMethod]
    public async Task Different_keys_and_no_key_post_separately()
    {
        var (_, a) = await Post(_alicesToken, "key-a", "Same text");
        var (_, b) = await Post(_alicesToken, "key-b", "Same text");
        var (_, c) = await Post(_alicesToken, null, "Same text");
        var (_, d) = await Post(_alicesToken, null, "Same text");

        Assert.AreEqual(4, new[] { a, b, c, d }.Select(x => x.GetProperty("id").GetString()).Distinct().Count());
    }

    [TestMethod]
    public async Task A_key_belongs_to_one_account()
    {
        var (_, alices) = await Post(_alicesToken, "shared-key", "Alice's post");
        var (status, bobs) = await Post(_bobsToken, "shared-key", "Bob's post");

        Assert.AreEqual(HttpStatusCode.OK, status, bobs.ToString());
        Assert.AreNotEqual(alices.GetProperty("id").GetString(), bobs.GetProperty("id").GetString());
        Assert.AreEqual("bob", bobs.GetProperty("account").GetProperty("username").GetString());
    }

    [TestMethod]
    public async Task Concurrent_requests_with_one_key_post_once()
    {
        var before = await StatusesCountAsync(_alice.Id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Post(_alicesToken, "key-concurrent", "Raced")));

        Assert.IsTrue(answers.All(a => a.Status == HttpStatusCode.OK), string.Join("\n", answers.Select(a => a.Body.ToString())));
        Assert.AreEqual(1, answers.Select(a => a.Body.GetProperty("id").GetString()).Distinct().Count());
        Assert.AreEqual(before + 1, await StatusesCountAsync(_alice.Id));
    }

    [TestMethod]
    public async Task A_refused_post_releases_its_key_for_the_retry()
    {
        var (refused, error) = await Post(_alicesToken, "key-retry", new string('x', 501));
        var (accepted, status) = await Post(_alicesToken, "key-retry", "Shorter now");

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, refused, error.ToString());
        Assert.AreEqual(HttpStatusCode.OK, accepted, status.ToString());
        Assert.AreEqual("<p>Shorter now</p>", status.GetProperty("content").GetString());
    }

    [TestMethod]
    public async Task A_key_expires_after_an_hour_and_an_abandoned_claim_after_a_minute()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var services = TestStorage.Services(time);
        var statuses = new StatusStore(services.Tables);
        var idempotency = new StatusIdempotency(new IdempotencyStore(services.Tables), statuses, time);
        var account = (await services.Accounts.CreateAsync(new NewAccount("carol", "Correct-Horse-42-battery", "Carol", null, ActorType.Person))).Account!;
        var status = new Status { Id = "117684648624352871", AccountId = account.Id, Text = "First", ContentHtml = "<p>First</p>", CreatedAt = time.GetUtcNow() };
        await statuses.AddAsync(status, CancellationToken.None);

        var first = await idempotency.BeginAsync(account.Id, "k1", CancellationToken.None);
        Assert.IsTrue(first.Posts);
        await idempotency.EndAsync(first.Claim, status.Id, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(59));
        var duplicate = await idempotency.BeginAsync(account.Id, "k1", CancellationToken.None);
        Assert.AreEqual(status.Id, duplicate.Earlier?.Id);

        time.Advance(TimeSpan.FromMinutes(1));
        var fresh = await idempotency.BeginAsync(account.Id, "k1", CancellationToken.None);
        Assert.IsTrue(fresh.Posts, "an hour later the key posts again");

        // The fresh claim is never completed (its request died); a minute later the key can be claimed again.
        time.Advance(StatusIdempotency.AbandonedAfter);
        var takeover = await idempotency.BeginAsync(account.Id, "k1", CancellationToken.None);
        Assert.IsTrue(takeover.Posts);
        await idempotency.EndAsync(fresh.Claim, "117684648624352872", CancellationToken.None);
        await idempotency.EndAsync(takeover.Claim, status.Id, CancellationToken.None);
        var last = await idempotency.BeginAsync(account.Id, "k1", CancellationToken.None);
        Assert.AreEqual(status.Id, last.Earlier?.Id, "the late first request did not overwrite the newer claim");
    }
}
