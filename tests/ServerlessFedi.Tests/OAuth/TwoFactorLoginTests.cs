using System.Globalization;
using System.Net;
using System.Web;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using ServerlessFedi.Configuration;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// Logins with a second factor through the running login form, on an instance that requires one
/// (<c>Fedi__RequireTwoFactor</c>): the password step leads to a code step, which takes a TOTP code once or a recovery
/// code once, counts against the throttle, keeps the CSRF protection and speaks the page's language. The second factor,
/// the throttle and the tickets run on a fake clock; each test has its own accounts and client address.
/// </summary>
[TestClass]
public sealed class TwoFactorLoginTests
{
    private const string FrontDoorId = "7d0bd2f4-5c2a-4d47-9d6e-0c9a8e3f1b22";

    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);
    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;
    private static RegisteredApp _app = null!;
    private static int _next;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(
            new Dictionary<string, string?>
            {
                ["Fedi:FrontDoorId"] = FrontDoorId,
                ["Fedi:TwoFactorKey"] = TwoFactorAuthenticatorTests.Key,
                ["Fedi:RequireTwoFactor"] = "true",
                ["Fedi:Languages"] = "en,de",
            },
            services =>
            {
                services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<FediTables>(), Clock));
                services.AddSingleton(sp => new PendingLoginStore(sp.GetRequiredService<FediTables>(), Clock));
                services.AddSingleton(sp => new TwoFactorAuthenticator(
                    sp.GetRequiredService<TwoFactorStore>(), sp.GetRequiredService<TotpSecretProtector>(), sp.GetRequiredService<InstanceUrls>(), sp.GetRequiredService<FediOptions>(), Clock));
            });
        _client = new OAuthClient(_instance);
        _app = await _client.RegisterAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    private static string Next() => Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh account with a second factor, and a client address of its own.</summary>
    private static async Task<(string Username, TwoFactorSetup Setup, string Address)> EnrolledAsync()
    {
        var username = "agency2fa" + Next();
        var account = await _instance.CreateAccountAsync(username);
        var setup = await _instance.Services.GetRequiredService<TwoFactorAuthenticator>().EnableAsync(account);
        return (username, setup, "192.0.2." + Next());
    }

    private static string Now(TwoFactorSetup setup) => new Totp(Base32Encoding.ToBytes(setup.Secret)).ComputeTotp(Clock.GetUtcNow().UtcDateTime);

    private static string Wrong(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> PostAsync(LoginForm form, IDictionary<string, string> fields, string address, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", cookie ?? form.Cookie);
        request.Headers.Add("X-Azure-FDID", FrontDoorId);
        request.Headers.Add("X-Azure-ClientIP", address);
        return await _client.Http.SendAsync(request);
    }

    /// <summary>Opens the login form and posts the right password: the answer and its page.</summary>
    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page, LoginForm Form)> PasswordAsync(string username, string address, string query = "")
    {
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(_app) + query);
        var response = await PostAsync(form, new Dictionary<string, string>(form.Fields) { ["username"] = username, ["password"] = OAuthClient.Password }, address);
        return (response, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()), form);
    }

    /// <summary>The password step of an enrolled account: the second form (with its ticket), posted with the first form's cookie.</summary>
    private static async Task<LoginForm> SecondFormAsync(string username, string address, string query = "")
    {
        var (response, page, first) = await PasswordAsync(username, address, query);
        using (response)
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, page.DocumentElement.OuterHtml);
            Assert.IsNull(response.Headers.Location, "no code before the second factor");
            var form = (IHtmlFormElement)page.QuerySelector("form")!;
            var fields = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Type == "hidden").ToDictionary(i => i.Name!, i => i.Value);
            Assert.IsTrue(fields.ContainsKey("login_ticket"));
            return new LoginForm(new Uri(form.Action).AbsolutePath, fields, first.Cookie);
        }
    }

    private static Task<HttpResponseMessage> CodeAsync(LoginForm form, string code, string address, IDictionary<string, string>? overrides = null, string? cookie = null)
    {
        var fields = new Dictionary<string, string>(form.Fields) { ["otp"] = code };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }

        return PostAsync(form, fields, address, cookie);
    }

    private static string CodeFrom(HttpResponseMessage response)
    {
        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(_app.RedirectUri + "?", response.Headers.Location!.OriginalString);
        return HttpUtility.ParseQueryString(response.Headers.Location.Query)["code"]!;
    }

    [TestMethod]
    public async Task An_enrolled_account_gets_a_code_only_after_the_right_second_factor()
    {
        var (username, setup, address) = await EnrolledAsync();
        var form = await SecondFormAsync(username, address);

        using var wrong = await CodeAsync(form, Wrong(Now(setup)), address);
        var wrongPage = new HtmlParser().ParseDocument(await wrong.Content.ReadAsStringAsync());
        Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.AreEqual("Wrong or already used code. Wait for the next code and try again.", wrongPage.QuerySelector("#login-error")!.TextContent);
        Assert.AreEqual("otp-hint login-error", wrongPage.QuerySelector("#otp")!.GetAttribute("aria-describedby"));

        using var right = await CodeAsync(form, Now(setup), address);
        var (status, token) = await _client.ExchangeAsync(_app, CodeFrom(right));
        Assert.AreEqual(HttpStatusCode.OK, status, token.ToString());
        var (meStatus, me) = await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, token.GetProperty("access_token").GetString());
        Assert.AreEqual(HttpStatusCode.OK, meStatus);
        Assert.AreEqual(username, me.GetProperty("username").GetString());
    }

    [TestMethod]
    public async Task The_second_step_is_an_accessible_form_with_one_code_field()
    {
        var (username, _, address) = await EnrolledAsync();
        var (response, page, _) = await PasswordAsync(username, address);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Two-factor authentication", page.QuerySelector("h1")!.TextContent);
        var input = page.QuerySelector("input#otp")!;
        Assert.AreEqual("Authentication code", page.QuerySelector("label[for=otp]")!.TextContent);
        Assert.AreEqual("one-time-code", input.GetAttribute("autocomplete"));
        Assert.AreEqual("otp-hint", input.GetAttribute("aria-describedby"));
        Assert.IsNull(page.QuerySelector("input[name=password]"), "the password is not sent again");
        StringAssert.Contains(response.Headers.GetValues("Content-Security-Policy").Single(), "frame-ancestors 'none'");
        Assert.AreEqual("no-store", response.Headers.CacheControl!.ToString());
    }

    [TestMethod]
    public async Task A_code_used_for_one_login_is_refused_for_the_next_within_its_window()
    {
        var (username, setup, address) = await EnrolledAsync();
        var code = Now(setup);
        using (var first = await CodeAsync(await SecondFormAsync(username, address), code, address))
        {
            CodeFrom(first);
        }

        var form = await SecondFormAsync(username, address);
        using (var replay = await CodeAsync(form, code, address))
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, replay.StatusCode);
        }

        Clock.Advance(TimeSpan.FromSeconds(30));
        using var next = await CodeAsync(form, Now(setup), address);
        CodeFrom(next);
    }

    [TestMethod]
    public async Task A_recovery_code_logs_in_once()
    {
        var (username, setup, address) = await EnrolledAsync();
        var recovery = setup.RecoveryCodes[0];

        using (var first = await CodeAsync(await SecondFormAsync(username, address), recovery, address))
        {
            CodeFrom(first);
        }

        using var again = await CodeAsync(await SecondFormAsync(username, address), recovery, address);
        Assert.AreEqual(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [TestMethod]
    public async Task Wrong_codes_count_against_the_login_throttle()
    {
        var (username, setup, address) = await EnrolledAsync();
        var form = await SecondFormAsync(username, address);
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            using var wrong = await CodeAsync(form, Wrong(Now(setup)), address);
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode, $"code {i + 1}");
        }

        using var refused = await CodeAsync(form, Now(setup), address);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, refused.StatusCode, "even the right code waits");
        Assert.IsNotNull(refused.Headers.RetryAfter);
    }

    [TestMethod]
    public async Task Without_a_second_factor_the_login_is_refused_with_the_reason()
    {
        var username = "plain" + Next();
        await _instance.CreateAccountAsync(username);

        var (response, page, _) = await PasswordAsync(username, "192.0.2." + Next());
        var (german, germanPage, _) = await PasswordAsync(username, "192.0.2." + Next(), "&lang=de");

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        StringAssert.StartsWith(page.QuerySelector("#login-error")!.TextContent, "This server requires two-factor authentication for every login");
        Assert.AreEqual(HttpStatusCode.Forbidden, german.StatusCode);
        StringAssert.StartsWith(germanPage.QuerySelector("#login-error")!.TextContent, "Dieser Server verlangt für jede Anmeldung eine Zwei-Faktor-Authentifizierung");
    }

    [TestMethod]
    public async Task The_second_step_speaks_the_login_pages_language()
    {
        var (username, _, address) = await EnrolledAsync();

        var (response, page, _) = await PasswordAsync(username, address, "&lang=de");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("de", page.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Zwei-Faktor-Authentifizierung", page.QuerySelector("h1")!.TextContent);
        Assert.AreEqual("Bestätigungscode", page.QuerySelector("label[for=otp]")!.TextContent);
        Assert.AreEqual("Bestätigen", page.QuerySelector("form button")!.TextContent);
    }

    [TestMethod]
    public async Task A_ticket_works_only_with_its_csrf_token_and_request_and_for_five_minutes()
    {
        var (username, setup, address) = await EnrolledAsync();
        var form = await SecondFormAsync(username, address);
        var otherCsrf = OAuthSecrets.NewToken();
        var cookieName = form.Cookie.Split('=')[0];

        using (var otherBrowser = await CodeAsync(form, Now(setup), address, new Dictionary<string, string> { ["csrf_token"] = otherCsrf }, $"{cookieName}={otherCsrf}"))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, otherBrowser.StatusCode);
        }

        using (var noCookie = await CodeAsync(form, Now(setup), address, cookie: "unrelated=1"))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, noCookie.StatusCode);
        }

        using (var otherScope = await CodeAsync(form, Now(setup), address, new Dictionary<string, string> { ["scope"] = "read" }))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, otherScope.StatusCode);
        }

        using (var forged = await CodeAsync(form, Now(setup), address, new Dictionary<string, string> { ["login_ticket"] = OAuthSecrets.NewToken() }))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        Clock.Advance(PendingLoginStore.Lifetime);
        using var expired = await CodeAsync(form, Now(setup), address);
        Assert.AreEqual(HttpStatusCode.Forbidden, expired.StatusCode);
    }
}
