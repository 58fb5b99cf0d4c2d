using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>POST/GET/DELETE /api/v1/statuses and verify_credentials over real HTTP, with tokens made as the admin CLI makes them.</summary>
[TestClass]
public sealed class StatusApiTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static string _write = "";
    private static string _readOnly = "";
    private static string _bobToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice", ActorType.Organization, "Alice Agency");
        var bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _write = await tokens.IssueAsync(_alice.Id, ["read", "write"], description: "Agency CMS");
        _readOnly = await tokens.IssueAsync(_alice.Id, ["read"]);
        _bobToken = await tokens.IssueAsync(bob.Id, ["read", "write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    [TestMethod]
    public async Task Posting_with_JSON_answers_a_complete_Status_entity()
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Hello citizens!\n\nSee https://example.gov/news #Bürgerinfo", visibility = "public", language = "de" }));

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual(JsonValueKind.String, body.GetProperty("id").ValueKind);
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/statuses/{body.GetProperty("id").GetString()}", body.GetProperty("uri").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/{body.GetProperty("id").GetString()}", body.GetProperty("url").GetString());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body.GetProperty("created_at").GetString()!);
        Assert.AreEqual("public", body.GetProperty("visibility").GetString());
        Assert.AreEqual("de", body.GetProperty("language").GetString());
        Assert.AreEqual("Agency CMS", body.GetProperty("application").GetProperty("name").GetString());
        Assert.AreEqual(_alice.Id, body.GetProperty("account").GetProperty("id").GetString());
        Assert.StartsWith("<p>Hello citizens!</p>", body.GetProperty("content").GetString()!);
        Assert.AreEqual("bürgerinfo", body.GetProperty("tags")[0].GetProperty("name").GetString());
        foreach (var field in new[] { "media_attachments", "emojis", "mentions", "filtered" })
        {
            Assert.AreEqual(JsonValueKind.Array, body.GetProperty(field).ValueKind, field);
        }

        foreach (var field in new[] { "reblog", "poll", "card", "in_reply_to_id", "edited_at" })
        {
            Assert.AreEqual(JsonValueKind.Null, body.GetProperty(field).ValueKind, field);
        }

        Assert.AreEqual(0, body.GetProperty("replies_count").GetInt32());
        Assert.IsFalse(body.TryGetProperty("text", out _), "text is only in the delete response");
    }

    [TestMethod]
    public async Task Posting_with_a_form_works_as_well()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "Form post", ["visibility"] = "unlisted", ["sensitive"] = "true", ["spoiler_text"] = "cw" });

        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, form);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("unlisted", body.GetProperty("visibility").GetString());
        Assert.IsTrue(body.GetProperty("sensitive").GetBoolean());
        Assert.AreEqual("cw", body.GetProperty("spoiler_text").GetString());
    }

    [TestMethod]
    public async Task A_local_mention_links_the_account_and_is_listed()
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Thanks @bob!" }));

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        var mention = body.GetProperty("mentions")[0];
        Assert.AreEqual("bob", mention.GetProperty("acct").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/@bob", mention.GetProperty("url").GetString());
        StringAssert.Contains(body.GetProperty("content").GetString(), $"href=\"{_instance.BaseUrl}/@bob\"");
    }

    [TestMethod]
    public async Task Get_returns_a_public_status_without_a_token()
    {
        var (_, created) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Readable by all" }));

        var (status, body) = await Send(HttpMethod.Get, $"/api/v1/statuses/{created.GetProperty("id").GetString()}", null);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(created.GetProperty("content").GetString(), body.GetProperty("content").GetString());
    }

    [TestMethod]
    public async Task A_private_status_is_hidden_from_others_and_shown_to_its_author()
    {
        var (_, created) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Followers only", visibility = "private" }));
        var path = $"/api/v1/statuses/{created.GetProperty("id").GetString()}";

        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, path, null)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, path, _bobToken)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Get, path, _readOnly)).Status);
    }

    [TestMethod]
    public async Task Deleting_answers_the_source_text_and_the_status_is_gone_afterwards()
    {
        var (_, created) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Oops, typo" }));
        var id = created.GetProperty("id").GetString();

        var (status, body) = await Send(HttpMethod.Delete, $"/api/v1/statuses/{id}", _write);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("Oops, typo", body.GetProperty("text").GetString());
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/statuses/{id}", null)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, $"/api/v1/statuses/{id}", _write)).Status);
    }

    [TestMethod]
    public async Task Another_accounts_status_cannot_be_deleted()
    {
        var (_, created) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = "Mine" }));

        var (status, body) = await Send(HttpMethod.Delete, $"/api/v1/statuses/{created.GetProperty("id").GetString()}", _bobToken);

        Assert.AreEqual(HttpStatusCode.NotFound, status);
        Assert.AreEqual("Record not found", body.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Missing_bad_or_revoked_tokens_get_401_and_insufficient_scope_403()
    {
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/v1/statuses", null, Json(new { status = "x" }))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/v1/statuses", "not-a-token", Json(new { status = "x" }))).Status);
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _readOnly, Json(new { status = "x" }));
        Assert.AreEqual(HttpStatusCode.Forbidden, status);
        Assert.AreEqual("This action is outside the authorized scopes", body.GetProperty("error").GetString());

        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        var revoked = await tokens.IssueAsync(_alice.Id, ["write"]);
        await tokens.RevokeAsync(revoked);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/v1/statuses", revoked, Json(new { status = "x" }))).Status);
    }

    [TestMethod]
    [DataRow("{\"status\":\"\"}", 422)]
    [DataRow("{\"status\":\"ok\",\"visibility\":\"everyone\"}", 422)]
    [DataRow("{\"status\":\"ok\",\"visibility\":\"1\"}", 422)]
    [DataRow("{\"status\":\"ok\",\"media_ids\":[\"123\"]}", 422)]
    [DataRow("{\"status\":\"ok\",\"language\":\"english\"}", 422)]
    [DataRow("{\"status\":\"ok\",\"in_reply_to_id\":\"999999999999999999\"}", 404)]
    [DataRow("{\"status\": ", 400)]
    [DataRow("[1,2]", 400)]
    public async Task Invalid_input_gets_a_clear_error_and_changes_nothing(string json, int expected)
    {
        var before = (await _instance.Accounts.GetByIdAsync(_alice.Id))!.StatusesCount;

        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.AreEqual(expected, (int)status);
        Assert.AreEqual(JsonValueKind.String, body.GetProperty("error").ValueKind);
        Assert.AreEqual(before, (await _instance.Accounts.GetByIdAsync(_alice.Id))!.StatusesCount);
    }

    [TestMethod]
    public async Task Text_over_500_characters_is_refused_but_URLs_count_as_23()
    {
        var longUrl = "https://example.gov/" + new string('a', 600);
        var fits = new string('x', 470) + " " + longUrl;
        var tooLong = new string('x', 501);

        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = fits }))).Status);
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _write, Json(new { status = tooLong }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), "500");
    }

    [TestMethod]
    public async Task Verify_credentials_answers_the_CredentialAccount_with_source()
    {
        var (status, body) = await Send(HttpMethod.Get, "/api/v1/accounts/verify_credentials", _readOnly);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(_alice.Id, body.GetProperty("id").GetString());
        Assert.AreEqual("alice", body.GetProperty("acct").GetString());
        Assert.AreEqual("Alice Agency", body.GetProperty("display_name").GetString());
        Assert.AreEqual("public", body.GetProperty("source").GetProperty("privacy").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/avatars/original/missing.png", body.GetProperty("avatar").GetString());
        var avatar = await _instance.Http.GetAsync("/avatars/original/missing.png");
        Assert.AreEqual("image/png", avatar.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual(JsonValueKind.Array, body.GetProperty("fields").ValueKind);
    }
}
