using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>/api/v1/instance and /api/v2/instance, field by field as Mastodon's documentation lists them.</summary>
[TestClass]
public sealed class InstanceApiTests
{
    private static TestInstance _instance = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:ContactEmail"] = "ops@example.gov",
            ["Fedi:ContactAccount"] = "alice",
            ["Fedi:Languages"] = "de,en",
            ["Fedi:InstanceDescription"] = "Official accounts of the State of Example.",
        });
        await _instance.CreateAccountAsync("alice");
        await _instance.CreateAccountAsync("bob");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<JsonElement> Get(string path)
    {
        var response = await _instance.Http.GetAsync(path);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [TestMethod]
    public async Task V2_describes_the_instance_with_the_limits_it_enforces()
    {
        var doc = await Get("/api/v2/instance");

        Assert.AreEqual(new Uri(_instance.BaseUrl).Authority, doc.GetProperty("domain").GetString());
        Assert.AreEqual("Test Instance", doc.GetProperty("title").GetString());
        Assert.StartsWith("4.3.0 (compatible; ServerlessFedi ", doc.GetProperty("version").GetString()!);
        Assert.AreEqual("Official accounts of the State of Example.", doc.GetProperty("description").GetString());
        CollectionAssert.AreEqual(new[] { "de", "en" }, doc.GetProperty("languages").EnumerateArray().Select(l => l.GetString()).ToArray());
        Assert.AreEqual("ops@example.gov", doc.GetProperty("contact").GetProperty("email").GetString());
        Assert.AreEqual("alice", doc.GetProperty("contact").GetProperty("account").GetProperty("username").GetString());
        Assert.AreEqual("alice", doc.GetProperty("contact").GetProperty("account").GetProperty("acct").GetString());
        Assert.IsFalse(doc.GetProperty("registrations").GetProperty("enabled").GetBoolean());
        Assert.AreEqual(2, doc.GetProperty("api_versions").GetProperty("mastodon").GetInt32(), "grouped notifications (API version 2) are implemented");
        var statuses = doc.GetProperty("configuration").GetProperty("statuses");
        Assert.AreEqual(500, statuses.GetProperty("max_characters").GetInt32());
        Assert.AreEqual(23, statuses.GetProperty("characters_reserved_per_url").GetInt32());
        Assert.AreEqual(4, statuses.GetProperty("max_media_attachments").GetInt32());
        var media = doc.GetProperty("configuration").GetProperty("media_attachments");
        var types = media.GetProperty("supported_mime_types").EnumerateArray().Select(t => t.GetString()).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime", "video/webm", "audio/mpeg", "audio/ogg", "audio/wav", "audio/mp4" }, types);
        Assert.IsFalse(types.Any(t => t is "video/ogg" or "image/heic" or "image/avif" or "audio/flac"), "only what is read from the bytes is listed");
        Assert.AreEqual(ServerlessFedi.Media.MediaLimits.ImageSizeLimit, media.GetProperty("image_size_limit").GetInt32());
        Assert.AreEqual(ServerlessFedi.Media.MediaLimits.ImageMatrixLimit, media.GetProperty("image_matrix_limit").GetInt32());
        Assert.AreEqual(99 * 1024 * 1024, media.GetProperty("video_size_limit").GetInt32(), "Mastodon's VIDEO_LIMIT");
        Assert.AreEqual(120, media.GetProperty("video_frame_rate_limit").GetInt32());
        Assert.AreEqual(3840 * 2160, media.GetProperty("video_matrix_limit").GetInt32());
        Assert.AreEqual(JsonValueKind.String, doc.GetProperty("thumbnail").GetProperty("url").ValueKind);
        Assert.AreEqual(JsonValueKind.Array, doc.GetProperty("rules").ValueKind);
        Assert.AreEqual(0, doc.GetProperty("usage").GetProperty("users").GetProperty("active_month").GetInt32());
    }

    [TestMethod]
    public async Task V2_advertises_only_what_answers_and_the_Mastodon_4_4_and_4_5_fields()
    {
        var doc = await Get("/api/v2/instance");
        var configuration = doc.GetProperty("configuration");
        var urls = configuration.GetProperty("urls");

        Assert.IsFalse(urls.TryGetProperty("streaming", out _), "no WebSocket answers, so none is advertised (apps would reconnect forever)");
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/api/v1/streaming")).StatusCode);
        Assert.AreEqual($"{_instance.BaseUrl}/about", urls.GetProperty("about").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/privacy", urls.GetProperty("privacy_policy").GetString());
        Assert.AreEqual(JsonValueKind.Null, urls.GetProperty("terms_of_service").ValueKind);
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync(urls.GetProperty("about").GetString())).StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync(urls.GetProperty("privacy_policy").GetString())).StatusCode);
        var access = configuration.GetProperty("timelines_access");
        Assert.AreEqual("public", access.GetProperty("live_feeds").GetProperty("local").GetString());
        Assert.AreEqual("public", access.GetProperty("hashtag_feeds").GetProperty("remote").GetString());
        Assert.AreEqual("disabled", access.GetProperty("trending_link_feeds").GetProperty("local").GetString());
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync("/api/v1/timelines/public?local=true")).StatusCode, "a public live feed answers without a token");
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync("/api/v1/timelines/tag/news")).StatusCode, "a public hashtag feed answers without a token");
        var registrations = doc.GetProperty("registrations");
        Assert.IsFalse(registrations.GetProperty("reason_required").GetBoolean());
        Assert.AreEqual(JsonValueKind.Null, registrations.GetProperty("min_age").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, registrations.GetProperty("url").ValueKind);
        var accounts = configuration.GetProperty("accounts");
        Assert.AreEqual(4, accounts.GetProperty("max_profile_fields").GetInt32());
        Assert.AreEqual(255, accounts.GetProperty("profile_field_name_limit").GetInt32());
        Assert.AreEqual(2, doc.GetProperty("api_versions").GetProperty("mastodon").GetInt32(), "3 (attribution domains) and 4 (delete_media) are not served, so blur (5) is not advertised either");
    }

    [TestMethod]
    public async Task V1_counts_real_users_and_keeps_the_v1_shape()
    {
        var doc = await Get("/api/v1/instance");

        Assert.AreEqual(new Uri(_instance.BaseUrl).Authority, doc.GetProperty("uri").GetString());
        Assert.AreEqual(2, doc.GetProperty("stats").GetProperty("user_count").GetInt32());
        Assert.AreEqual(0, doc.GetProperty("stats").GetProperty("status_count").GetInt32());
        Assert.AreEqual(JsonValueKind.Number, doc.GetProperty("stats").GetProperty("domain_count").ValueKind);
        Assert.IsFalse(doc.GetProperty("registrations").GetBoolean());
        Assert.AreEqual("ops@example.gov", doc.GetProperty("email").GetString());
        Assert.AreEqual("alice", doc.GetProperty("contact_account").GetProperty("username").GetString());
        Assert.IsFalse(doc.GetProperty("urls").TryGetProperty("streaming_api", out _), "no streaming API is advertised: none answers");
        Assert.AreEqual(JsonValueKind.String, doc.GetProperty("thumbnail").ValueKind);
        Assert.AreEqual(500, doc.GetProperty("configuration").GetProperty("statuses").GetProperty("max_characters").GetInt32());
    }
}
