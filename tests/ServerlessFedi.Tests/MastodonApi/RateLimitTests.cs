using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><see cref="ApiRateLimiter"/> under a fake clock, and its headers and 429 on real API answers.</summary>
[TestClass]
public sealed class RateLimitTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 1, 30, TimeSpan.Zero);

    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static string _token = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice");
        _token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(_alice.Id, ["read"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private const string FrontDoorId = "8f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c";

    private static ApiRateLimiter Limiter(TimeProvider time, string? frontDoorId = null) =>
        new(time, new ClientAddress(new FediOptions { BaseUrl = "https://social.example.test", FrontDoorId = frontDoorId }));

    /// <summary>A request from <paramref name="peer"/> (the address the platform saw), with whatever headers the client chose.</summary>
    private static HttpRequest Request(string peer = "127.0.0.1", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    [TestMethod]
    public void Each_request_counts_down_within_a_clock_aligned_five_minute_window()
    {
        var limiter = Limiter(new FakeTimeProvider(Noon));
        var request = Request();

        Assert.IsNull(limiter.HitAccount(request, "1"));
        Assert.IsNull(limiter.HitAccount(request, "1"));

        Assert.AreEqual("300", request.HttpContext.Response.Headers["X-RateLimit-Limit"].ToString());
        Assert.AreEqual("298", request.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
        Assert.AreEqual("2026-11-26T12:05:00.000Z", request.HttpContext.Response.Headers["X-RateLimit-Reset"].ToString());
    }

    [TestMethod]
    public void The_request_over_the_limit_gets_429_until_the_window_ends()
    {
        var time = new FakeTimeProvider(Noon);
        var limiter = Limiter(time);
        for (var i = 0; i < ApiRateLimiter.AccountLimit; i++)
        {
            Assert.IsNull(limiter.HitAccount(Request(), "1"), $"request {i + 1}");
        }

        var refused = limiter.HitAccount(Request(), "1");

        Assert.AreEqual(429, refused!.Status);
        Assert.AreEqual("{\"error\":\"Too many requests\"}", refused.BodyText);
        Assert.AreEqual("0", refused.Headers["X-RateLimit-Remaining"]);
        Assert.AreEqual("2026-11-26T12:05:00.000Z", refused.Headers["X-RateLimit-Reset"]);
        Assert.AreEqual("210", refused.Headers["Retry-After"]);
        Assert.AreEqual("*", refused.Headers["Access-Control-Allow-Origin"]);
        Assert.IsNull(limiter.HitAccount(Request(), "2"), "other accounts are not affected");

        time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 12, 5, 0, TimeSpan.Zero));
        var request = Request();
        Assert.IsNull(limiter.HitAccount(request, "1"), "a new window starts afresh");
        Assert.AreEqual("299", request.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
    }

    [TestMethod]
    public void Requests_without_a_token_count_by_the_address_the_platform_saw_whatever_forwarding_headers_the_client_sends()
    {
        var limiter = Limiter(new FakeTimeProvider(Noon));
        for (var i = 0; i < ApiRateLimiter.AddressLimit; i++)
        {
            // A client inventing a new address per request, in every header a proxy might set.
            var invented = $"198.51.{i / 250}.{i % 250}";
            Assert.IsNull(limiter.HitAddress(Request("203.0.113.7", ("X-Forwarded-For", invented), ("X-Azure-ClientIP", invented), ("X-Azure-FDID", FrontDoorId))), $"request {i + 1}");
        }

        Assert.AreEqual(429, limiter.HitAddress(Request("203.0.113.7", ("X-Forwarded-For", "192.0.2.1"), ("X-Azure-ClientIP", "192.0.2.1")))!.Status);
        var other = Request("203.0.113.8");
        Assert.IsNull(limiter.HitAddress(other));
        Assert.AreEqual("1500", other.HttpContext.Response.Headers["X-RateLimit-Limit"].ToString());
        Assert.AreEqual("1499", other.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
    }

    [TestMethod]
    public void Front_doors_client_address_counts_only_with_the_configured_front_door_id()
    {
        var limiter = Limiter(new FakeTimeProvider(Noon), FrontDoorId);
        var frontDoorEdge = "198.51.100.20";
        for (var i = 0; i < ApiRateLimiter.AddressLimit; i++)
        {
            Assert.IsNull(limiter.HitAddress(Request(frontDoorEdge, ("X-Azure-FDID", FrontDoorId), ("X-Azure-ClientIP", "192.0.2.10"))));
        }

        Assert.AreEqual(429, limiter.HitAddress(Request(frontDoorEdge, ("X-Azure-FDID", FrontDoorId.ToUpperInvariant()), ("X-Azure-ClientIP", "192.0.2.10")))!.Status);
        Assert.IsNull(limiter.HitAddress(Request(frontDoorEdge, ("X-Azure-FDID", FrontDoorId), ("X-Azure-ClientIP", "192.0.2.11"))), "another client behind Front Door");

        // Someone else's Front Door profile (or a client) sending a ClientIP: counted by the address that connected.
        var other = Request("203.0.113.9", ("X-Azure-FDID", Guid.NewGuid().ToString()), ("X-Azure-ClientIP", "192.0.2.10"));
        Assert.IsNull(limiter.HitAddress(other));
        Assert.AreEqual("1499", other.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
    }

    [TestMethod]
    public void IPv6_clients_count_by_their_64_bit_network()
    {
        var limiter = Limiter(new FakeTimeProvider(Noon));
        for (var i = 0; i < ApiRateLimiter.AddressLimit; i++)
        {
            Assert.IsNull(limiter.HitAddress(Request($"2001:db8:1:2::{i + 1:x}")));
        }

        Assert.AreEqual(429, limiter.HitAddress(Request("2001:db8:1:2:ffff:ffff:ffff:ffff"))!.Status);
        Assert.IsNull(limiter.HitAddress(Request("2001:db8:1:3::1")), "another /64");
        Assert.AreEqual("192.0.2.1", ClientAddress.Key(IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [TestMethod]
    public void A_flood_of_distinct_addresses_cannot_grow_the_limiters_memory_past_its_bound()
    {
        var time = new FakeTimeProvider(Noon);
        var limiter = Limiter(time);
        var regular = Request("192.0.2.200");
        Assert.IsNull(limiter.HitAddress(regular));

        for (var i = 0; i < ApiRateLimiter.MaxTrackedClients + 5_000; i++)
        {
            limiter.HitAddress(Request(new IPAddress(0x0A000000u + (uint)i).ToString()));
        }

        Assert.IsLessThanOrEqualTo(ApiRateLimiter.MaxTrackedClients + 1, limiter.TrackedClients);
        var again = Request("192.0.2.200");
        Assert.IsNull(limiter.HitAddress(again), "a client counted before the flood keeps its own counter");
        Assert.AreEqual("1498", again.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
        Assert.AreEqual(429, limiter.HitAddress(Request("192.0.2.201"))!.Status, "new clients share the flooded overflow counter until the window ends");

        time.Advance(ApiRateLimiter.Window);
        var next = Request("192.0.2.202");
        Assert.IsNull(limiter.HitAddress(next), "the next window drops the flood's counters");
        Assert.AreEqual("1499", next.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
        Assert.IsLessThanOrEqualTo(ApiRateLimiter.MaxTrackedClients + 1, limiter.TrackedClients);
    }

    private static async Task<HttpResponseMessage> VerifyCredentials(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/accounts/verify_credentials");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _instance.Http.SendAsync(request);
    }

    [TestMethod]
    public async Task Authenticated_answers_carry_the_rate_limit_headers_and_429_once_spent()
    {
        var account = await _instance.CreateAccountAsync("spender");
        var token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, ["read"]);

        using var ok = await VerifyCredentials(token);
        Assert.AreEqual(HttpStatusCode.OK, ok.StatusCode);
        Assert.AreEqual("300", ok.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.AreEqual("299", ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d[05]:00\.000Z$", ok.Headers.GetValues("X-RateLimit-Reset").Single());
        StringAssert.Contains(ok.Headers.GetValues("Access-Control-Expose-Headers").Single(), "X-RateLimit-Remaining");

        var limiter = _instance.Services.GetRequiredService<ApiRateLimiter>();
        while (limiter.Count("a:" + account.Id, ApiRateLimiter.AccountLimit).Allowed)
        {
        }

        using var refused = await VerifyCredentials(token);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.AreEqual("{\"error\":\"Too many requests\"}", await refused.Content.ReadAsStringAsync());
        Assert.AreEqual("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());

        using var others = await VerifyCredentials(_token);
        Assert.AreEqual(HttpStatusCode.OK, others.StatusCode);
    }

    [TestMethod]
    public async Task A_request_with_a_bad_token_is_counted_by_address()
    {
        using var response = await VerifyCredentials("not-a-token");

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("1500", response.Headers.GetValues("X-RateLimit-Limit").Single());
    }
}
