using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Web;
using AngleSharp.Html.Parser;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>Registration, the browser-style authorization flow with PKCE, tokens and their use, over real HTTP.</summary>
[TestClass]
public sealed class OAuthFlowTests
{
    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _client = new OAuthClient(_instance);
        await _instance.CreateAccountAsync("alice", displayName: "Alice Agency", email: "alice@agency.example");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    [TestMethod]
    public async Task Registration_answers_the_complete_Application_entity()
    {
        var app = await _client.RegisterAsync("read write:statuses", OAuthClient.Callback, "urn:ietf:wg:oauth:2.0:oob");
        var body = app.Body;

        Assert.AreEqual(JsonValueKind.String, body.GetProperty("id").ValueKind);
        Assert.AreEqual("Agency App", body.GetProperty("name").GetString());
        Assert.AreEqual("https://app.example/", body.GetProperty("website").GetString());
        CollectionAssert.AreEqual(new[] { "read", "write:statuses" }, body.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.AreEqual(OAuthClient.Callback + "\nurn:ietf:wg:oauth:2.0:oob", body.GetProperty("redirect_uri").GetString());
        Assert.AreEqual(2, body.GetProperty("redirect_uris").GetArrayLength());
        Assert.MatchesRegex("^[A-Za-z0-9_-]{43}$", app.ClientId);
        Assert.MatchesRegex("^[A-Za-z0-9_-]{43}$", app.ClientSecret);
        Assert.AreEqual(0, body.GetProperty("client_secret_expires_at").GetInt32());
        Assert.AreEqual("", body.GetProperty("vapid_key").GetString());
    }

    [TestMethod]
    public async Task Registration_by_form_takes_newline_separated_redirect_uris_and_defaults_to_read()
    {
        var (status, body) = await _client.PostFormAsync("/api/v1/apps", new Dictionary<string, string> { ["client_name"] = "Form App", ["redirect_uris"] = "https://a.example/cb\nde.example.app://oauth" });

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("read", body.GetProperty("scopes")[0].GetString());
        Assert.AreEqual("de.example.app://oauth", body.GetProperty("redirect_uris")[1].GetString());
        Assert.AreEqual(JsonValueKind.Null, body.GetProperty("website").ValueKind);
    }

    [TestMethod]
    [DataRow("javascript:alert(1)")]
    [DataRow("data:text/html,<script>alert(1)</script>")]
    [DataRow("JavaScript://%0aalert(1)")]
    [DataRow("https://app.example/cb#fragment")]
    [DataRow("/relative/callback")]
    [DataRow("")]
    public async Task Registration_refuses_dangerous_or_malformed_redirect_uris(string uri)
    {
        var (status, body) = await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/apps", new { client_name = "Bad", redirect_uris = uri });

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        Assert.AreEqual(JsonValueKind.String, body.GetProperty("error").ValueKind);
    }

    [TestMethod]
    public async Task Registration_refuses_a_missing_name_and_unknown_scopes()
    {
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/apps", new { redirect_uris = OAuthClient.Callback })).Status);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/apps", new { client_name = "x", redirect_uris = OAuthClient.Callback, scopes = "read admin:everything" })).Status);
    }

    [TestMethod]
    public async Task Authorization_code_flow_with_PKCE_S256_gives_a_token_that_posts_and_verifies()
    {
        var app = await _client.RegisterAsync();
        var (verifier, challenge) = OAuthClient.NewPkce();

        var code = await _client.AuthorizeAsync(app, "alice", challenge, "S256");
        var (status, token) = await _client.ExchangeAsync(app, code, verifier);

        Assert.AreEqual(HttpStatusCode.OK, status, token.ToString());
        Assert.AreEqual("Bearer", token.GetProperty("token_type").GetString());
        Assert.AreEqual("read write", token.GetProperty("scope").GetString());
        Assert.IsLessThan(120, Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - token.GetProperty("created_at").GetInt64()));
        var accessToken = token.GetProperty("access_token").GetString()!;

        var (postStatus, post) = await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/statuses", new { status = "Posted through OAuth" }, accessToken);
        Assert.AreEqual(HttpStatusCode.OK, postStatus, post.ToString());
        Assert.AreEqual("Agency App", post.GetProperty("application").GetProperty("name").GetString());

        var (meStatus, me) = await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, accessToken);
        Assert.AreEqual(HttpStatusCode.OK, meStatus);
        Assert.AreEqual("alice", me.GetProperty("username").GetString());

        var (appStatus, appBody) = await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/apps/verify_credentials", null, accessToken);
        Assert.AreEqual(HttpStatusCode.OK, appStatus);
        Assert.AreEqual("Agency App", appBody.GetProperty("name").GetString());
        Assert.IsFalse(appBody.TryGetProperty("client_secret", out _));
    }

    [TestMethod]
    public async Task Authorization_code_flow_with_PKCE_plain_by_email_and_form_encoded_token_request()
    {
        var app = await _client.RegisterAsync();
        var verifier = new string('v', 50);
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app, "read", challenge: verifier, method: "plain"));
        using var login = await _client.SubmitAsync(form, "Alice@Agency.example");
        Assert.AreEqual(HttpStatusCode.Found, login.StatusCode);
        var code = HttpUtility.ParseQueryString(login.Headers.Location!.Query)["code"]!;

        var (status, token) = await _client.PostFormAsync("/oauth/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["redirect_uri"] = app.RedirectUri,
            ["code"] = code,
            ["code_verifier"] = verifier,
        }, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}"))));

        Assert.AreEqual(HttpStatusCode.OK, status, token.ToString());
        Assert.AreEqual("read", token.GetProperty("scope").GetString());
        var readOnly = token.GetProperty("access_token").GetString()!;
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/statuses", new { status = "x" }, readOnly)).Status);
    }

    [TestMethod]
    public async Task Code_and_state_are_url_encoded_and_appended_to_an_existing_query()
    {
        var app = await _client.RegisterAsync("read", "https://app.example/cb?tenant=a%20b");
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app, "read", state: "s p&a=c+e/é"));

        using var login = await _client.SubmitAsync(form, "alice");

        Assert.AreEqual(HttpStatusCode.Found, login.StatusCode);
        var location = login.Headers.Location!.OriginalString;
        Assert.StartsWith("https://app.example/cb?tenant=a%20b&code=", location);
        Assert.EndsWith("&state=s%20p%26a%3Dc%2Be%2F%C3%A9", location);
    }

    [TestMethod]
    public async Task Out_of_band_redirect_shows_the_code_on_a_page()
    {
        var app = await _client.RegisterAsync("read", "urn:ietf:wg:oauth:2.0:oob");
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(app, "read"));

        using var login = await _client.SubmitAsync(form, "alice");
        var html = await login.Content.ReadAsStringAsync();

        Assert.AreEqual(HttpStatusCode.OK, login.StatusCode);
        Assert.IsNull(login.Headers.Location);
        var code = new HtmlParser().ParseDocument(html).QuerySelector("input#code")!.GetAttribute("value")!;
        Assert.AreEqual(HttpStatusCode.OK, (await _client.ExchangeAsync(app, code)).Status);
    }

    [TestMethod]
    public async Task The_authorize_page_is_accessible_sets_one_strict_cookie_and_has_no_script()
    {
        var app = await _client.RegisterAsync();
        using var response = await _client.Http.GetAsync(OAuthClient.AuthorizePath(app) + "&lang=de&force_login=true");
        var html = await response.Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(html);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.MatchesRegex("^oauth_csrf=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$", cookie);
        Assert.IsEmpty(document.QuerySelectorAll("script"));
        Assert.AreEqual("en", document.DocumentElement.GetAttribute("lang"), "lang=de asks for a language this instance does not offer");
        Assert.IsNotNull(document.QuerySelector("main h1"));
        StringAssert.Contains(document.QuerySelector("h1")!.TextContent, "Agency App");
        CollectionAssert.AreEqual(new[] { "read", "write" }, document.QuerySelectorAll("main li").Select(e => e.TextContent).ToArray());
        foreach (var input in document.QuerySelectorAll("input:not([type=hidden])"))
        {
            Assert.IsNotNull(document.QuerySelector($"label[for={input.Id}]"), input.Id);
        }

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        StringAssert.StartsWith(csp, "default-src 'none'");
        StringAssert.Contains(csp, "form-action 'self' https://app.example");
        Assert.AreEqual("no-store", response.Headers.CacheControl!.ToString());
        Assert.AreEqual(1, document.QuerySelectorAll("form[method=post] input[name=csrf_token]").Length);
    }

    [TestMethod]
    public async Task Hostile_markup_in_the_app_name_is_encoded()
    {
        var (_, body) = await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/apps", new { client_name = "<script>alert(1)</script>", redirect_uris = OAuthClient.Callback });
        var app = new RegisteredApp(body.GetProperty("client_id").GetString()!, "", OAuthClient.Callback, body);

        var html = await _client.Http.GetStringAsync(OAuthClient.AuthorizePath(app, "read"));

        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [TestMethod]
    public async Task Client_credentials_token_verifies_the_app_but_never_acts_for_an_account()
    {
        var app = await _client.RegisterAsync("read write");

        var (status, token) = await _client.SendJsonAsync(HttpMethod.Post, "/oauth/token", new { grant_type = "client_credentials", client_id = app.ClientId, client_secret = app.ClientSecret, scope = "read" });

        Assert.AreEqual(HttpStatusCode.OK, status, token.ToString());
        Assert.AreEqual("read", token.GetProperty("scope").GetString());
        var appToken = token.GetProperty("access_token").GetString()!;
        var (verifyStatus, verified) = await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/apps/verify_credentials", null, appToken);
        Assert.AreEqual(HttpStatusCode.OK, verifyStatus);
        Assert.AreEqual("Agency App", verified.GetProperty("name").GetString());
        Assert.AreEqual(OAuthClient.Callback, verified.GetProperty("redirect_uris")[0].GetString());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, appToken)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/statuses", new { status = "x" }, appToken)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/apps/verify_credentials", null, "not-a-token")).Status);
    }

    [TestMethod]
    public async Task Revoked_token_gets_401_and_revoke_answers_200_for_unknown_tokens()
    {
        var app = await _client.RegisterAsync();
        var other = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");
        var token = (await _client.ExchangeAsync(app, code)).Body.GetProperty("access_token").GetString()!;

        // Another client's credentials cannot revoke it (RFC 7009 §2.1), and the answer does not tell.
        var (otherStatus, _) = await _client.SendJsonAsync(HttpMethod.Post, "/oauth/revoke", new { client_id = other.ClientId, client_secret = other.ClientSecret, token });
        Assert.AreEqual(HttpStatusCode.OK, otherStatus);
        Assert.AreEqual(HttpStatusCode.OK, (await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, token)).Status);

        var (status, body) = await _client.SendJsonAsync(HttpMethod.Post, "/oauth/revoke", new { client_id = app.ClientId, client_secret = app.ClientSecret, token });
        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("{}", body.GetRawText());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Get, "/api/v1/accounts/verify_credentials", null, token)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Post, "/api/v1/statuses", new { status = "x" }, token)).Status);

        Assert.AreEqual(HttpStatusCode.OK, (await _client.SendJsonAsync(HttpMethod.Post, "/oauth/revoke", new { client_id = app.ClientId, client_secret = app.ClientSecret, token = "unknown" })).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _client.SendJsonAsync(HttpMethod.Post, "/oauth/revoke", new { client_id = app.ClientId, client_secret = "wrong", token })).Status);
    }

    [TestMethod]
    public async Task Metadata_document_describes_the_endpoints_as_RFC_8414_asks()
    {
        var (status, body) = await _client.SendJsonAsync(HttpMethod.Get, "/.well-known/oauth-authorization-server", null);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(_instance.BaseUrl + "/", body.GetProperty("issuer").GetString());
        Assert.AreEqual(_instance.BaseUrl + "/oauth/authorize", body.GetProperty("authorization_endpoint").GetString());
        Assert.AreEqual(_instance.BaseUrl + "/oauth/token", body.GetProperty("token_endpoint").GetString());
        Assert.AreEqual(_instance.BaseUrl + "/oauth/revoke", body.GetProperty("revocation_endpoint").GetString());
        Assert.AreEqual(_instance.BaseUrl + "/api/v1/apps", body.GetProperty("app_registration_endpoint").GetString());
        var scopes = body.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        CollectionAssert.Contains(scopes, "read:statuses");
        CollectionAssert.AreEqual(new[] { "S256", "plain" }, body.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { "authorization_code", "client_credentials" }, body.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [TestMethod]
    public async Task Only_hashes_of_client_secrets_codes_and_tokens_are_stored()
    {
        var app = await _client.RegisterAsync();
        var code = await _client.AuthorizeAsync(app, "alice");
        var unusedCode = await _client.AuthorizeAsync(app, "alice");
        var token = (await _client.ExchangeAsync(app, code)).Body.GetProperty("access_token").GetString()!;

        var table = await _instance.Services.GetRequiredService<FediTables>().GetAsync(StorageNames.OAuthTable);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            var text = row.PartitionKey + row.RowKey + string.Join(' ', row.Select(kv => kv.Value));
            foreach (var secret in new[] { app.ClientSecret, code, unusedCode, token })
            {
                Assert.DoesNotContain(secret, text);
            }
        }
    }

    [TestMethod]
    public async Task Json_endpoints_answer_CORS_headers()
    {
        using var response = await _client.Http.PostAsync("/oauth/token", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
