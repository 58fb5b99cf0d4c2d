using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using SkiaSharp;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Instance documents, search, media, apps and OAuth answers against golden files (docs: methods/instance,
/// methods/search, methods/media, methods/apps, methods/oauth; entities/Instance, V1_Instance, Rule, ExtendedDescription,
/// PrivacyPolicy, Search, MediaAttachment, Application, Token, Error).
/// </summary>
[TestClass]
public sealed class InstanceGoldenTests
{
    [TestMethod]
    public async Task Instance_documents_and_empty_lists()
    {
        await using var g = await GoldenInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:ContactAccount"] = "alice",
            ["Fedi:ContactEmail"] = "office@agency.example.gov",
            ["Fedi:InstanceDescription"] = "The agencies of the state.\nAsk us anything.",
            ["Fedi:Languages"] = "de,en",
            ["Fedi:Rules"] = "Be kind\nNo spam",
            ["Fedi:PrivacyPolicyUrl"] = "https://agency.example.gov/privacy?lang=en&x=1",
        });
        var (_, token) = await g.AccountAsync("alice", "Alice Agency");
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "First post" });
        await g.Services.GetRequiredService<RemoteActorStore>().PutAsync(new RemoteActor(
            "https://remote.example/users/carol", "Person", "carol", null, "https://remote.example/users/carol/inbox", null,
            null, null, null, null, null, g.Time.GetUtcNow()), CancellationToken.None);

        await g.GoldenAsync("instance-v2", HttpMethod.Get, "/api/v2/instance", null, null, GoldenJson.Property("public_key"));
        await g.GetAsync("instance-v1", "/api/v1/instance");
        await g.GetAsync("instance-peers", "/api/v1/instance/peers");
        await g.GetAsync("instance-activity", "/api/v1/instance/activity");
        await g.GetAsync("instance-rules", "/api/v1/instance/rules");
        await g.GetAsync("instance-extended-description", "/api/v1/instance/extended_description");
        await g.GetAsync("instance-privacy-policy", "/api/v1/instance/privacy_policy");
        await g.GetAsync("instance-languages", "/api/v1/instance/languages");
        await g.GetAsync("instance-translation-languages", "/api/v1/instance/translation_languages");
        await g.GetAsync("custom-emojis", "/api/v1/custom_emojis");
        await g.GetAsync("trends", "/api/v1/trends/tags");
        await g.GetAsync("announcements", "/api/v1/announcements", token);
        await g.PostAsync("error-announcement-dismiss", "/api/v1/announcements/1/dismiss", token);
        await g.GetAsync("suggestions", "/api/v2/suggestions", token);
    }

    [TestMethod]
    public async Task Search_results()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice", "Alice Agency");
        await g.AccountAsync("alfred");
        var post = await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", token, new { status = "About #Roads" });
        await g.DrainAsync();

        await g.GetAsync("search-accounts", "/api/v2/search?q=al", token);
        await g.GetAsync("search-hashtag", "/api/v2/search?q=%23roads", token);
        await g.GetAsync("search-status-url", $"/api/v2/search?q={Uri.EscapeDataString(post.GetProperty("url").GetString()!)}", token);
        await g.GetAsync("search-empty", "/api/v2/search?q=");
    }

    [TestMethod]
    public async Task Media_uploads_and_statuses_with_media()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice");

        using var form = new MultipartFormDataContent { { ApiTestClient.File(ApiTestClient.Image(64, 48, SKEncodedImageFormat.Png), "image/png"), "file", "a.png" }, { new StringContent("A gradient"), "description" }, { new StringContent("0.5,-0.25"), "focus" } };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v2/media") { Content = form };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var uploaded = await g.Instance.Http.SendAsync(upload);
        await GoldenJson.MatchAsync("media-upload", uploaded, GoldenJson.MediaToken);
        var mediaId = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        await g.GoldenAsync("media-update", HttpMethod.Put, $"/api/v1/media/{mediaId}", token, new { description = "A teal gradient" }, GoldenJson.MediaToken);
        await g.GoldenAsync("media-show", HttpMethod.Get, $"/api/v1/media/{mediaId}", token, null, GoldenJson.MediaToken);
        await g.GoldenAsync("status-with-media", HttpMethod.Post, "/api/v1/statuses", token, new { status = "With a picture", media_ids = new[] { mediaId } }, GoldenJson.MediaToken);
        await g.GetAsync("error-media-attached", $"/api/v1/media/{mediaId}", token);

        using var empty = new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = new MultipartFormDataContent { { new StringContent("x"), "description" } } };
        empty.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await g.Instance.Http.SendAsync(empty);
        await GoldenJson.MatchAsync("error-media-blank", refused);
    }

    [TestMethod]
    public async Task Apps_and_oauth_tokens()
    {
        await using var g = await GoldenInstance.StartAsync();
        var app = await g.GoldenAsync("app-register", HttpMethod.Post, "/api/v1/apps", null, new
        {
            client_name = "Agency CMS",
            redirect_uris = "urn:ietf:wg:oauth:2.0:oob\nhttps://cms.agency.example.gov/callback",
            scopes = "read write",
            website = "https://cms.agency.example.gov",
        }, GoldenJson.Property("client_id"), GoldenJson.Property("client_secret"));
        var clientId = app.GetProperty("client_id").GetString();
        var clientSecret = app.GetProperty("client_secret").GetString();

        var token = await g.GoldenAsync("oauth-token-client-credentials", HttpMethod.Post, "/oauth/token", null, new { grant_type = "client_credentials", client_id = clientId, client_secret = clientSecret, scope = "read" }, GoldenJson.Property("access_token"));
        await g.GetAsync("app-verify-credentials", "/api/v1/apps/verify_credentials", token.GetProperty("access_token").GetString());
        await g.GetAsync("error-app-verify", "/api/v1/apps/verify_credentials", "not-a-token");
        await g.PostAsync("error-app-name", "/api/v1/apps", null, new { client_name = "", redirect_uris = "urn:ietf:wg:oauth:2.0:oob" });
        await g.PostAsync("oauth-error-grant", "/oauth/token", null, new { grant_type = "password", client_id = clientId, client_secret = clientSecret });
        await g.PostAsync("oauth-error-client", "/oauth/token", null, new { grant_type = "client_credentials", client_id = clientId, client_secret = "wrong" });
        await g.PostAsync("oauth-error-code", "/oauth/token", null, new { grant_type = "authorization_code", client_id = clientId, client_secret = clientSecret, code = "nope", redirect_uri = "urn:ietf:wg:oauth:2.0:oob" });
    }
}
