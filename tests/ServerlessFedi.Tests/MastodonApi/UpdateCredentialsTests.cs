using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using SkiaSharp;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>PATCH /api/v1/accounts/update_credentials over real HTTP: the CredentialAccount, the actor, the web page and the federated Update.</summary>
[TestClass]
public sealed class UpdateCredentialsTests
{
    private const string Path = "/api/v1/accounts/update_credentials";
    private static TestInstance _instance = null!;
    private static FakePeer _peer = null!;
    private static ApiTestClient _api = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _peer = await FakePeer.StartAsync();
        _api = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _peer.DisposeAsync();
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    [TestMethod]
    public async Task Multipart_update_changes_every_field_and_answers_the_CredentialAccount()
    {
        var (account, token) = await _api.AccountAsync("press" + ApiTestClient.Next());
        using var form = Form(
            ("display_name", "Press Office"),
            ("note", "News from the ministry.\n\nAsk us <anything>."),
            ("locked", "true"),
            ("bot", "true"),
            ("discoverable", "false"),
            ("fields_attributes[0][name]", "Website"),
            ("fields_attributes[0][value]", "https://example.gov/press"),
            ("fields_attributes[1][name]", "Phone"),
            ("fields_attributes[1][value]", "+49 30 1234 <5>"),
            ("source[privacy]", "unlisted"),
            ("source[sensitive]", "true"),
            ("source[language]", "de"));
        form.Add(ApiTestClient.File(ApiTestClient.Image(800, 600, SKEncodedImageFormat.Png), "image/png"), "avatar", "avatar.png");
        form.Add(ApiTestClient.File(ApiTestClient.Image(2000, 900, SKEncodedImageFormat.Jpeg), "image/jpeg"), "header", "header.jpg");

        var (status, body) = await _api.SendAsync(HttpMethod.Patch, Path, token, form);

        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual(account.Id, body.GetProperty("id").GetString());
        Assert.AreEqual("Press Office", body.GetProperty("display_name").GetString());
        Assert.AreEqual("<p>News from the ministry.</p><p>Ask us &lt;anything&gt;.</p>", body.GetProperty("note").GetString());
        Assert.IsTrue(body.GetProperty("locked").GetBoolean());
        Assert.IsTrue(body.GetProperty("bot").GetBoolean());
        Assert.IsFalse(body.GetProperty("discoverable").GetBoolean());
        var fields = body.GetProperty("fields");
        Assert.AreEqual(2, fields.GetArrayLength());
        Assert.AreEqual("Website", fields[0].GetProperty("name").GetString());
        Assert.StartsWith("<a href=\"https://example.gov/press\"", fields[0].GetProperty("value").GetString()!);
        Assert.Contains("rel=\"nofollow noopener noreferrer me\"", fields[0].GetProperty("value").GetString()!);
        Assert.AreEqual(JsonValueKind.Null, fields[0].GetProperty("verified_at").ValueKind);
        Assert.AreEqual("+49 30 1234 &lt;5&gt;", fields[1].GetProperty("value").GetString());
        var source = body.GetProperty("source");
        Assert.AreEqual("unlisted", source.GetProperty("privacy").GetString());
        Assert.IsTrue(source.GetProperty("sensitive").GetBoolean());
        Assert.AreEqual("de", source.GetProperty("language").GetString());
        Assert.AreEqual("News from the ministry.\n\nAsk us <anything>.", source.GetProperty("note").GetString());
        Assert.AreEqual("https://example.gov/press", source.GetProperty("fields")[0].GetProperty("value").GetString());

        var avatarUrl = body.GetProperty("avatar").GetString()!;
        var headerUrl = body.GetProperty("header").GetString()!;
        Assert.StartsWith($"{_instance.BaseUrl}/media/", avatarUrl);
        Assert.EndsWith(".png", avatarUrl);
        Assert.EndsWith(".jpg", headerUrl);
        Assert.AreEqual(avatarUrl, body.GetProperty("avatar_static").GetString());
        await AssertImageAsync(avatarUrl, 400, 400);
        await AssertImageAsync(headerUrl, 1500, 500);

        var verified = await _api.GetAsync("/api/v1/accounts/verify_credentials", token);
        Assert.AreEqual(body.ToString(), verified.Body.ToString(), "verify_credentials reads what was stored");
        var shown = await _api.GetAsync($"/api/v1/accounts/{account.Id}", null);
        Assert.AreEqual(avatarUrl, shown.Body.GetProperty("avatar").GetString());
        Assert.IsFalse(shown.Body.TryGetProperty("source", out _));

        var (_, actor) = await _api.SendAsync(HttpMethod.Get, $"/users/{account.Username}", null, accept: "application/activity+json");
        Assert.AreEqual("Service", actor.GetProperty("type").GetString());
        Assert.AreEqual("Image", actor.GetProperty("icon").GetProperty("type").GetString());
        Assert.AreEqual("image/png", actor.GetProperty("icon").GetProperty("mediaType").GetString());
        Assert.AreEqual(avatarUrl, actor.GetProperty("icon").GetProperty("url").GetString());
        Assert.AreEqual(headerUrl, actor.GetProperty("image").GetProperty("url").GetString());
        Assert.AreEqual("PropertyValue", actor.GetProperty("attachment")[0].GetProperty("type").GetString());
        Assert.AreEqual("Website", actor.GetProperty("attachment")[0].GetProperty("name").GetString());
        Assert.IsTrue(actor.GetProperty("manuallyApprovesFollowers").GetBoolean());

        var page = await _instance.Http.GetStringAsync($"/@{account.Username}");
        Assert.Contains(avatarUrl, page);
        Assert.Contains(headerUrl, page);
        Assert.Contains("<dt>Website</dt>", page);

        // Posting without visibility, sensitive and language takes the account's defaults.
        var (_, post) = await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", token, ApiTestClient.Json(new { status = "Defaults apply" }));
        Assert.AreEqual("unlisted", post.GetProperty("visibility").GetString());
        Assert.IsTrue(post.GetProperty("sensitive").GetBoolean());
        Assert.AreEqual("de", post.GetProperty("language").GetString());

        // A new avatar replaces the file; the old one is gone. bot=false turns the Service back into a Person.
        using var second = Form(("bot", "false"));
        second.Add(ApiTestClient.File(ApiTestClient.Image(300, 500, SKEncodedImageFormat.Jpeg), "image/jpeg"), "avatar", "new.jpg");
        var (again, replaced) = await _api.SendAsync(HttpMethod.Patch, Path, token, second);
        Assert.AreEqual(HttpStatusCode.OK, again, replaced.ToString());
        Assert.AreNotEqual(avatarUrl, replaced.GetProperty("avatar").GetString());
        Assert.AreEqual(headerUrl, replaced.GetProperty("header").GetString(), "a header not sent stays");
        Assert.AreEqual("Press Office", replaced.GetProperty("display_name").GetString(), "fields not sent stay");
        Assert.AreEqual(2, replaced.GetProperty("fields").GetArrayLength());
        Assert.IsFalse(replaced.GetProperty("bot").GetBoolean());
        using var old = await _instance.Http.GetAsync(avatarUrl);
        Assert.AreEqual(HttpStatusCode.NotFound, old.StatusCode);
        await AssertImageAsync(replaced.GetProperty("avatar").GetString()!, 400, 400);
    }

    [TestMethod]
    public async Task Json_and_form_encoded_bodies_are_accepted_and_an_organization_stays_one()
    {
        var account = await _instance.CreateAccountAsync("agency" + ApiTestClient.Next(), ActorType.Organization);
        var token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, ["write:accounts", "read:accounts", "write:statuses"]);
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, Path, token, ApiTestClient.Json(new
        {
            display_name = "Agency",
            bot = false,
            fields_attributes = new[] { new { name = "Mail", value = "press@example.gov" } },
            source = new { privacy = "private", language = "fr" },
        }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("Agency", body.GetProperty("display_name").GetString());
        Assert.AreEqual("press@example.gov", body.GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.AreEqual("private", body.GetProperty("source").GetProperty("privacy").GetString());
        Assert.AreEqual("fr", body.GetProperty("source").GetProperty("language").GetString());
        var (_, actor) = await _api.SendAsync(HttpMethod.Get, $"/users/{account.Username}", null, accept: "application/activity+json");
        Assert.AreEqual("Organization", actor.GetProperty("type").GetString());

        using var encoded = new FormUrlEncodedContent([new("note", "Plain form"), new("fields_attributes[0][name]", ""), new("fields_attributes[0][value]", ""), new("source[language]", "")]);
        var (formStatus, formBody) = await _api.SendAsync(HttpMethod.Patch, Path, token, encoded);
        Assert.AreEqual(HttpStatusCode.OK, formStatus, formBody.ToString());
        Assert.AreEqual("<p>Plain form</p>", formBody.GetProperty("note").GetString());
        Assert.AreEqual(0, formBody.GetProperty("fields").GetArrayLength(), "blank pairs clear the fields");
        var stored = await _api.GetAsync("/api/v1/accounts/verify_credentials", token);
        Assert.AreEqual("", stored.Body.GetProperty("source").GetProperty("language").GetString(), "an empty language clears it");
        Assert.AreEqual(0, stored.Body.GetProperty("fields").GetArrayLength());
        var (_, post) = await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", token, ApiTestClient.Json(new { status = "Private by default" }));
        Assert.AreEqual("private", post.GetProperty("visibility").GetString());
        Assert.AreEqual(JsonValueKind.Null, post.GetProperty("language").ValueKind);
    }

    [TestMethod]
    public async Task Invalid_input_is_refused_with_422_and_changes_nothing()
    {
        var (account, token) = await _api.AccountAsync("strict" + ApiTestClient.Next());
        var before = (await _api.GetAsync("/api/v1/accounts/verify_credentials", token)).Body.ToString();

        using var tooLong = Form(("display_name", new string('x', 31)), ("note", "would change"));
        await AssertRefusedAsync(token, tooLong, "Display name");
        using var longNote = Form(("note", new string('n', 501)));
        await AssertRefusedAsync(token, longNote, "Note");
        var five = new List<(string, string)>();
        for (var i = 0; i < 5; i++)
        {
            five.Add(($"fields_attributes[{i}][name]", $"n{i}"));
            five.Add(($"fields_attributes[{i}][value]", $"v{i}"));
        }

        using var fiveFields = Form([.. five]);
        await AssertRefusedAsync(token, fiveFields, "Fields");
        using var longValue = Form(("fields_attributes[0][name]", "n"), ("fields_attributes[0][value]", new string('v', 256)));
        await AssertRefusedAsync(token, longValue, "255");
        using var notImage = Form(("display_name", "Changed"));
        notImage.Add(ApiTestClient.File("GIF89a but not really an image"u8.ToArray(), "image/gif"), "avatar", "x.gif");
        await AssertRefusedAsync(token, notImage, "Avatar");
        using var text = Form(("header", "https://example.org/header.png"));
        await AssertRefusedAsync(token, text, "Header");
        await AssertRefusedAsync(token, ApiTestClient.Json(new { source = new { privacy = "everyone" } }), "Privacy");
        await AssertRefusedAsync(token, ApiTestClient.Json(new { source = new { language = "German" } }), "Language");

        Assert.AreEqual(before, (await _api.GetAsync("/api/v1/accounts/verify_credentials", token)).Body.ToString());

        var readOnly = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, ["read", "write:statuses"]);
        var forbidden = await _api.SendAsync(HttpMethod.Patch, Path, readOnly, ApiTestClient.Json(new { display_name = "x" }));
        Assert.AreEqual(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.AreEqual(JsonValueKind.String, forbidden.Body.GetProperty("error").ValueKind);
        var anonymous = await _api.SendAsync(HttpMethod.Patch, Path, null, ApiTestClient.Json(new { display_name = "x" }));
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.Status);
        var malformed = await _api.SendAsync(HttpMethod.Patch, Path, token, new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.BadRequest, malformed.Status);
    }

    [TestMethod]
    public async Task An_update_is_delivered_to_remote_followers_as_Update_Person()
    {
        var (account, token) = await _api.AccountAsync("federated" + ApiTestClient.Next());
        var follower = _peer.AddActor("reader" + ApiTestClient.Next(), sharedInbox: false);
        await _api.FollowAsync(follower, account);

        using var form = Form(("display_name", "Federated Office"), ("fields_attributes[0][name]", "Web"), ("fields_attributes[0][value]", "https://example.gov"));
        form.Add(ApiTestClient.File(ApiTestClient.Image(500, 500, SKEncodedImageFormat.Png), "image/png"), "avatar", "a.png");
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, Path, token, form);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());

        var update = await ApiTestClient.ReceivedAsync(_peer, follower.InboxPath, "Update", _ => true, "the Update(Person) reaching the follower");
        var person = update!["object"]!;
        Assert.AreEqual($"{_instance.BaseUrl}/users/{account.Username}", (string?)update["actor"]);
        Assert.AreEqual("Person", (string?)person["type"]);
        Assert.AreEqual("Federated Office", (string?)person["name"]);
        Assert.AreEqual(body.GetProperty("avatar").GetString(), (string?)person["icon"]!["url"]);
        Assert.AreEqual("Web", (string?)person["attachment"]![0]!["name"]);
        Assert.Contains("https://example.gov", (string?)person["attachment"]![0]!["value"] ?? "");
    }

    private static async Task AssertRefusedAsync(string token, HttpContent content, string mentions)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, Path, token, content);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, body.ToString());
        Assert.Contains(mentions, body.GetProperty("error").GetString()!);
    }

    private static async Task AssertImageAsync(string url, int width, int height)
    {
        using var response = await _instance.Http.GetAsync(url);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, url);
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(width, bitmap.Width, url);
        Assert.AreEqual(height, bitmap.Height, url);
    }
}
