using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>Attacks on the authorization flow (issue: "Hostile input"): every one is refused and yields no token.</summary>
[TestClass]
public sealed class OAuthHostileInputTests
{
    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _client = new OAuthClient(_instance);
        await _instance.CreateAccountAsync("alice");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    [TestMethod]
    public async Task Unregistered_redirect_uri_at_authorize_is_a_400_page_and_never_a_redirect()
    {
        var app = await _client.RegisterAsync();

        using var response = await _client.Http.GetAsync(OAuthClient.AuthorizePath(app, redirectUri: "https://evil.example/steal"));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Unknown_client_id_at_authorize_is_a_400_page()
    {
        var app = new RegisteredApp(new string('a', 43), "", OAuthClient.Callback, default);

        using var response = await _client.Http.GetAsync(OAuthClient.AuthorizePath(app));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
    }

    [TestMethod]
    public async Task A_redirect_uri_swapped_in_the_posted_form_is_refused()
    {
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));

        using var response = await _client.SubmitAsync(form, "alice", overrides: new Dictionary<string, string> { ["redirect_uri"] = "https://evil.example/" });

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
    }

    [TestMethod]
    public async Task Scope_beyond_the_application_is_refused_at_authorize_and_at_token()
    {
        var app = await _client.RegisterAsync("read");

        using var page = await _client.Http.GetAsync(OAuthClient.AuthorizePath(app, "read write"));
        Assert.AreEqual(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.IsNull(page.Headers.Location);

        var code = await _client.AuthorizeAsync(app, "alice", scope: "read:statuses");
        var (status, body) = await _client.ExchangeAsync(app, code, scope: "read");
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_scope", body.GetProperty("error").GetString());

        var (ccStatus, cc) = await _client.SendJsonAsync(HttpMethod.Post, "/oauth/token", new { grant_type = "client_credentials", client_id = app.ClientId, client_secret = app.ClientSecret, scope = "write" });
        Assert.AreEqual(HttpStatusCode.BadRequest, ccStatus);
        Assert.AreEqual("invalid_scope", cc.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task A_narrower_scope_at_token_is_granted()
    {
        var app = await _client.RegisterAsync("read write");
        var code = await _client.AuthorizeAsync(app, "alice");

        var (status, body) = await _client.ExchangeAsync(app, code, scope: "read:statuses");

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("read:statuses", body.GetProperty("scope").GetString());
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("bm90LXRoZS10b2tlbi1mcm9tLXRoZS1jb29raWUtYXQtYWxsLWJ1dC1sb25n")]
    public async Task Missing_or_mismatched_CSRF_token_gets_403_and_no_code(string? cookieValue)
    {
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));
        var cookie = cookieValue is null ? null : $"oauth_csrf={cookieValue}";

        using var response = await _client.SubmitAsync(form, "alice", cookie: cookie);

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        Assert.DoesNotContain("code=", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Missing_CSRF_field_gets_403()
    {
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));
        var fields = form.Fields.Where(f => f.Key != "csrf_token").ToDictionary();

        using var response = await _client.SubmitAsync(form with { Fields = fields }, "alice");

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [TestMethod]
    public async Task Wrong_redirect_uri_at_token_is_invalid_grant()
    {
        var app = await _client.RegisterAsync("read", OAuthClient.Callback, "https://app.example/other");
        var code = await _client.AuthorizeAsync(app, "alice", scope: "read");

        var (status, body) = await _client.ExchangeAsync(app, code, redirectUri: "https://app.example/other");

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_grant", body.GetProperty("error").GetString());
        Assert.AreEqual(JsonValueKind.String, body.GetProperty("error_description").ValueKind);
    }

    [TestMethod]
    public async Task A_code_is_single_use()
    {
        var app = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");

        Assert.AreEqual(HttpStatusCode.OK, (await _client.ExchangeAsync(app, code)).Status);
        var (status, body) = await _client.ExchangeAsync(app, code);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_grant", body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Concurrent_exchanges_of_one_code_give_one_token()
    {
        var app = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.ExchangeAsync(app, code)));

        Assert.AreEqual(1, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.IsTrue(results.Where(r => r.Status != HttpStatusCode.OK).All(r => r.Body.GetProperty("error").GetString() == "invalid_grant"));
    }

    [TestMethod]
    public async Task Another_clients_code_is_invalid_grant()
    {
        var app = await _client.RegisterAsync();
        var thief = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");

        var (status, body) = await _client.ExchangeAsync(thief with { RedirectUri = app.RedirectUri }, code);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_grant", body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Wrong_or_missing_PKCE_verifier_is_invalid_grant()
    {
        var app = await _client.RegisterAsync();
        var (_, challenge) = OAuthClient.NewPkce();
        var (otherVerifier, _) = OAuthClient.NewPkce();

        var wrong = await _client.ExchangeAsync(app, await _client.AuthorizeAsync(app, "alice", challenge, "S256"), otherVerifier);
        var missing = await _client.ExchangeAsync(app, await _client.AuthorizeAsync(app, "alice", challenge, "S256"));
        var challengeAsVerifier = await _client.ExchangeAsync(app, await _client.AuthorizeAsync(app, "alice", challenge, "S256"), challenge);
        var unsolicited = await _client.ExchangeAsync(app, await _client.AuthorizeAsync(app, "alice"), otherVerifier);

        foreach (var (status, body) in new[] { wrong, missing, challengeAsVerifier, unsolicited })
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, status);
            Assert.AreEqual("invalid_grant", body.GetProperty("error").GetString());
        }
    }

    [TestMethod]
    [DataRow("S512")]
    [DataRow("s256")]
    public async Task Unknown_PKCE_method_is_refused_at_authorize(string method)
    {
        var app = await _client.RegisterAsync();

        using var response = await _client.Http.GetAsync(OAuthClient.AuthorizePath(app, challenge: OAuthClient.NewPkce().Challenge, method: method));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [TestMethod]
    public async Task Wrong_client_secret_is_invalid_client_and_keeps_the_code_usable()
    {
        var app = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");

        var (status, body) = await _client.ExchangeAsync(app with { ClientSecret = "wrong-secret" }, code);

        Assert.AreEqual(HttpStatusCode.Unauthorized, status);
        Assert.AreEqual("invalid_client", body.GetProperty("error").GetString());
        Assert.AreEqual(HttpStatusCode.OK, (await _client.ExchangeAsync(app, code)).Status);
    }

    [TestMethod]
    [DataRow("{\"grant_type\": ", "invalid_request")]
    [DataRow("[1]", "invalid_request")]
    [DataRow("{}", "invalid_request")]
    [DataRow("{\"grant_type\":\"password\"}", "unsupported_grant_type")]
    public async Task Malformed_token_requests_are_400_with_an_RFC_6749_error(string json, string error)
    {
        using var response = await _client.Http.PostAsync("/oauth/token", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual(error, body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task A_client_secret_in_the_query_string_is_refused()
    {
        var app = await _client.RegisterAsync();

        var (status, body) = await _client.SendJsonAsync(HttpMethod.Post, $"/oauth/token?client_secret={app.ClientSecret}", new { grant_type = "client_credentials", client_id = app.ClientId });

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("invalid_request", body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        await _instance.CreateAccountAsync("carol");
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));
        var texts = new List<string>();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _client.SubmitAsync(form, "carol", "wrong-password-" + i);
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.IsNull(wrong.Headers.Location);
            texts.Add(await wrong.Content.ReadAsStringAsync());
        }

        using var locked = await _client.SubmitAsync(form, "carol", OAuthClient.Password);
        Assert.AreEqual(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.IsNull(locked.Headers.Location);
        Assert.IsTrue(texts.All(t => t.Contains("Wrong username or password.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Unknown_users_get_the_same_answer_as_wrong_passwords()
    {
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));

        using var unknown = await _client.SubmitAsync(form, "nobody");
        using var wrong = await _client.SubmitAsync(form, "alice", "wrong-password");
        var unknownHtml = await unknown.Content.ReadAsStringAsync();
        var wrongHtml = await wrong.Content.ReadAsStringAsync();

        Assert.AreEqual(wrong.StatusCode, unknown.StatusCode);
        Assert.AreEqual(wrongHtml, unknownHtml);
    }

    [TestMethod]
    public async Task A_failed_login_shows_the_form_again_and_a_later_success_redirects()
    {
        await _instance.CreateAccountAsync("dave");
        var app = await _client.RegisterAsync();
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app));

        using var wrong = await _client.SubmitAsync(form, "dave", "nope");
        using var right = await _client.SubmitAsync(form, "dave");

        Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.AreEqual(HttpStatusCode.Found, right.StatusCode);
        Assert.IsNotNull(HttpUtility.ParseQueryString(right.Headers.Location!.Query)["code"]);
    }
}
