using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
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

    private static HttpRequest Request(string? forwardedFor = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context.Request;
    }

    [TestMethod]
    public void Each_request_counts_down_within_a_clock_aligned_five_minute_window()
    {
        var limiter = new ApiRateLimiter(new FakeTimeProvider(Noon));
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
        var limiter = new ApiRateLimiter(time);
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
    public void Requests_without_a_token_count_by_the_address_the_platform_appended()
    {
        var limiter = new ApiRateLimiter(new FakeTimeProvider(Noon));
        for (var i = 0; i < ApiRateLimiter.AddressLimit; i++)
        {
            // The client's own X-Forwarded-For claim changes every time; the platform's entry does not.
            Assert.IsNull(limiter.HitAddress(Request($"10.0.0.{i % 250}, 203.0.113.7:50123")));
        }

        Assert.AreEqual(429, limiter.HitAddress(Request("198.51.100.1, 203.0.113.7:443"))!.Status);
        var other = Request("203.0.113.8:1234");
        Assert.IsNull(limiter.HitAddress(other));
        Assert.AreEqual("1500", other.HttpContext.Response.Headers["X-RateLimit-Limit"].ToString());
        Assert.AreEqual("1499", other.HttpContext.Response.Headers["X-RateLimit-Remaining"].ToString());
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
