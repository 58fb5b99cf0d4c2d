using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// Password guessing against the running login form (issue 11, finding 4). The instance trusts a Front Door id, so a test
/// can speak for many client addresses; a 401 means the password was checked, a 429 that it was refused unchecked.
/// Tests use fresh accounts and addresses, so they do not share counts.
/// </summary>
[TestClass]
public sealed class LoginThrottlingTests
{
    private const string FrontDoorId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;
    private static int _next;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        // The throttle runs on a clock that stands still, so no test straddles the boundary of its clock-aligned windows.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _instance = await TestInstance.StartAsync(
            new Dictionary<string, string?> { ["Fedi:FrontDoorId"] = FrontDoorId },
            services => services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<FediTables>(), clock)));
        _client = new OAuthClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    private static string Next() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Posts the login form as Front Door forwards a client at <paramref name="clientIp"/> (null: no Front Door headers).</summary>
    private static async Task<HttpStatusCode> SubmitAsync(LoginForm form, string username, string password, string? clientIp, string frontDoorId = FrontDoorId)
    {
        var fields = new Dictionary<string, string>(form.Fields) { ["username"] = username, ["password"] = password };
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", form.Cookie);
        if (clientIp is not null)
        {
            request.Headers.Add("X-Azure-FDID", frontDoorId);
            request.Headers.Add("X-Azure-ClientIP", clientIp);
        }

        using var response = await _client.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<(string Username, LoginForm Form)> AccountAndFormAsync()
    {
        var username = "agency" + Next();
        await _instance.CreateAccountAsync(username);
        var app = await _client.RegisterAsync();
        return (username, await _client.OpenAsync(OAuthClient.AuthorizePath(app)));
    }

    [TestMethod]
    public async Task Fifty_parallel_wrong_passwords_from_one_address_get_at_most_six_checks()
    {
        var (username, form) = await AccountAndFormAsync();
        var attacker = "192.0.2." + Next();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SubmitAsync(form, username, "guess-" + i, attacker)));

        // Five, plus the address's first try if it reached storage after the back-off began (LoginThrottleTests).
        var checks = answers.Count(a => a == HttpStatusCode.Unauthorized);
        Assert.IsGreaterThanOrEqualTo(LoginThrottle.FreeFailures, checks, string.Join(",", answers));
        Assert.IsLessThanOrEqualTo(LoginThrottle.FreeFailures + 1, checks, string.Join(",", answers));
        Assert.IsTrue(answers.All(a => a is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
    }

    [TestMethod]
    public async Task Fifty_parallel_wrong_passwords_from_fifty_addresses_get_at_most_fifteen_checks()
    {
        var (username, form) = await AccountAndFormAsync();
        var network = Next();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SubmitAsync(form, username, "guess-" + i, $"2001:db8:{network}:{i:x}::1")));

        Assert.AreEqual(LoginThrottle.FreeFailures + LoginThrottle.CleanAddressChecks, answers.Count(a => a == HttpStatusCode.Unauthorized), string.Join(",", answers));
    }

    [TestMethod]
    public async Task Five_wrong_passwords_from_an_attacker_do_not_lock_the_owner_out()
    {
        var (username, form) = await AccountAndFormAsync();
        var attacker = "198.51.100." + Next();
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, await SubmitAsync(form, username, "guess-" + i, attacker));
        }

        Assert.AreEqual(HttpStatusCode.TooManyRequests, await SubmitAsync(form, username, OAuthClient.Password, attacker), "the guessing address waits, even with the right password");
        Assert.AreEqual(HttpStatusCode.Found, await SubmitAsync(form, username, OAuthClient.Password, "203.0.113." + Next()), "the owner, from their own address, logs in");
        Assert.AreEqual(HttpStatusCode.Unauthorized, await SubmitAsync(form, username, "guess-after", attacker), "a success clears the back-off");
    }

    [TestMethod]
    public async Task Client_addresses_claimed_without_our_front_door_id_do_not_escape_the_address_limit()
    {
        var (_, form) = await AccountAndFormAsync();
        var foreignFrontDoor = Guid.NewGuid().ToString();

        // A new login name and a new claimed address each time: only the connection's own address is left to count.
        var answers = await Task.WhenAll(Enumerable.Range(0, LoginThrottle.AddressAttempts + 1)
            .Select(i => SubmitAsync(form, "nobody" + Next(), "guess", $"192.0.2.{i}", foreignFrontDoor)));

        Assert.AreEqual(LoginThrottle.AddressAttempts, answers.Count(a => a == HttpStatusCode.Unauthorized), string.Join(",", answers));
        Assert.AreEqual(1, answers.Count(a => a == HttpStatusCode.TooManyRequests));
    }
}
