using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Media;

/// <summary>
/// The media API over real HTTP (docs: methods/media, entities/MediaAttachment): upload, show, describe, attach to a
/// status, the federated Note's attachment, the app's own file route, and deletion with the status.
/// </summary>
[TestClass]
public sealed class MediaApiTests
{
    private static TestInstance _instance = null!;
    private static string _alice = "";
    private static string _bob = "";
    private static string _readOnly = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        var alice = await _instance.CreateAccountAsync("alice", ActorType.Organization, "Alice Agency");
        var bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _alice = await tokens.IssueAsync(alice.Id, ["read", "write"]);
        _bob = await tokens.IssueAsync(bob.Id, ["write:media", "write:statuses"]);
        _readOnly = await tokens.IssueAsync(alice.Id, ["read"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Uploading_answers_a_complete_MediaAttachment_entity()
    {
        var (status, media) = await Upload("exif-orientation6-gps.jpg", "/api/v2/media", _alice, description: "A red and blue flag", focus: "0.5,-0.25");

        Assert.AreEqual(HttpStatusCode.OK, status, media.ToString());
        CollectionAssert.AreEquivalent(
            new[] { "id", "type", "url", "preview_url", "remote_url", "preview_remote_url", "text_url", "meta", "description", "blurhash" },
            media.EnumerateObject().Select(p => p.Name).ToArray());
        var id = media.GetProperty("id").GetString()!;
        Assert.AreEqual(18, id.Length);
        Assert.AreEqual("image", media.GetProperty("type").GetString());
        Assert.MatchesRegex($"^{Regex(_instance.BaseUrl)}/media/{id}/[0-9a-f]{{16}}/original\\.jpg$", media.GetProperty("url").GetString()!);
        Assert.MatchesRegex($"^{Regex(_instance.BaseUrl)}/media/{id}/[0-9a-f]{{16}}/small\\.jpg$", media.GetProperty("preview_url").GetString()!);
        foreach (var field in new[] { "remote_url", "preview_remote_url", "text_url" })
        {
            Assert.AreEqual(JsonValueKind.Null, media.GetProperty(field).ValueKind, field);
        }

        var meta = media.GetProperty("meta");
        foreach (var variant in new[] { "original", "small" })
        {
            var size = meta.GetProperty(variant);
            Assert.AreEqual(48, size.GetProperty("width").GetInt32(), variant);
            Assert.AreEqual(64, size.GetProperty("height").GetInt32(), variant);
            Assert.AreEqual("48x64", size.GetProperty("size").GetString(), variant);
            Assert.AreEqual(0.75, size.GetProperty("aspect").GetDouble(), 1e-9, variant);
        }

        Assert.AreEqual(0.5, meta.GetProperty("focus").GetProperty("x").GetDouble());
        Assert.AreEqual(-0.25, meta.GetProperty("focus").GetProperty("y").GetDouble());
        Assert.AreEqual("A red and blue flag", media.GetProperty("description").GetString());
        Assert.MatchesRegex("^U[0-9A-Za-z#$%*+,\\-.:;=?@\\[\\]^_{|}~]{35}$", media.GetProperty("blurhash").GetString()!);
    }

    [TestMethod]
    public async Task Without_description_and_focus_both_are_absent_and_v1_uploads_alike()
    {
        var (status, media) = await Upload("photo.webp", "/api/v1/media", _alice);

        Assert.AreEqual(HttpStatusCode.OK, status, media.ToString());
        Assert.AreEqual(JsonValueKind.Null, media.GetProperty("description").ValueKind);
        Assert.IsFalse(media.GetProperty("meta").TryGetProperty("focus", out _));
        StringAssert.EndsWith(media.GetProperty("url").GetString(), "/original.webp");
    }

    [TestMethod]
    public async Task The_app_serves_the_file_as_an_immutable_image_without_metadata()
    {
        var (_, media) = await Upload("exif-orientation6-gps.jpg", "/api/v2/media", _alice);
        var url = media.GetProperty("url").GetString()!;

        var response = await _instance.Http.GetAsync(url);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.IsNotNull(response.Headers.ETag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.IsFalse(MediaFixtures.Contains(bytes, "Exif") || MediaFixtures.Contains(bytes, "Jane Doe"));

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.AreEqual(HttpStatusCode.NotModified, (await _instance.Http.SendAsync(revalidate)).StatusCode);

        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/media/117684648624352871/0123456789abcdef/original.jpg")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/media/../payloads/x.json")).StatusCode);
    }

    [TestMethod]
    [DataRow("lies.png", "content type is not supported")]
    [DataRow("bomb.png", "100000x100000")]
    public async Task Refused_files_answer_422_with_the_reason(string fixture, string reason)
    {
        var (status, body) = await Upload(fixture, "/api/v2/media", _alice);

        Assert.AreEqual((HttpStatusCode)422, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), reason);
    }

    [TestMethod]
    public async Task A_file_over_the_size_limit_answers_422_without_being_read()
    {
        var big = new byte[ServerlessFedi.Media.MediaLimits.ImageSizeLimit + 1];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;

        var (status, body) = await Send(HttpMethod.Post, "/api/v2/media", _alice, Multipart(big, "big.jpg"));

        Assert.AreEqual((HttpStatusCode)422, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), "16 MB");
    }

    [TestMethod]
    public async Task Uploads_need_a_file_and_the_write_media_scope()
    {
        using var noFile = new MultipartFormDataContent { { new StringContent("alt"), "description" } };
        Assert.AreEqual((HttpStatusCode)422, (await Send(HttpMethod.Post, "/api/v2/media", _alice, noFile)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Upload("photo.webp", "/api/v2/media", _readOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Upload("photo.webp", "/api/v2/media", null)).Status);
        Assert.AreEqual((HttpStatusCode)422, (await Upload("photo.webp", "/api/v2/media", _alice, focus: "2,0")).Status);
        Assert.AreEqual((HttpStatusCode)422, (await Upload("photo.webp", "/api/v2/media", _alice, description: new string('a', 1501))).Status);
    }

    [TestMethod]
    public async Task The_owner_reads_and_describes_the_media_and_nobody_else_can()
    {
        var (_, media) = await Upload("text-chunks.png", "/api/v2/media", _alice);
        var path = $"/api/v1/media/{media.GetProperty("id").GetString()}";

        var (getStatus, got) = await Send(HttpMethod.Get, path, _alice);
        Assert.AreEqual(HttpStatusCode.OK, getStatus);
        Assert.AreEqual(media.GetProperty("url").GetString(), got.GetProperty("url").GetString());

        var (putStatus, put) = await Send(HttpMethod.Put, path, _alice, Json(new { description = "A yellow dot", focus = "-0.1,0.9" }));
        Assert.AreEqual(HttpStatusCode.OK, putStatus, put.ToString());
        Assert.AreEqual("A yellow dot", put.GetProperty("description").GetString());
        Assert.AreEqual(0.9, put.GetProperty("meta").GetProperty("focus").GetProperty("y").GetDouble());

        var (_, again) = await Send(HttpMethod.Put, path, _alice, new FormUrlEncodedContent(new Dictionary<string, string> { ["focus"] = "0,0" }));
        Assert.AreEqual("A yellow dot", again.GetProperty("description").GetString(), "a parameter left out stays");

        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, path, _bob)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, path, _bob, Json(new { description = "mine now" }))).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/media/117684648624352871", _alice)).Status);
        Assert.AreEqual((HttpStatusCode)422, (await Send(HttpMethod.Put, path, _alice, Json(new { focus = "left" }))).Status);
        var (_, unchanged) = await Send(HttpMethod.Get, path, _alice);
        Assert.AreEqual("A yellow dot", unchanged.GetProperty("description").GetString());
    }

    [TestMethod]
    public async Task A_status_carries_its_media_in_the_API_and_in_the_federated_Note()
    {
        var (_, first) = await Upload("exif-orientation6-gps.jpg", "/api/v2/media", _alice, description: "Flag", focus: "0.5,-0.25");
        var (_, second) = await Upload("transparent.gif", "/api/v2/media", _alice);
        var ids = new[] { first.GetProperty("id").GetString()!, second.GetProperty("id").GetString()! };

        var (status, posted) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "With pictures", media_ids = ids }));

        Assert.AreEqual(HttpStatusCode.OK, status, posted.ToString());
        var attachments = posted.GetProperty("media_attachments");
        Assert.AreEqual(2, attachments.GetArrayLength());
        Assert.AreEqual(first.ToString(), attachments[0].ToString(), "the same entity as the upload answered");
        Assert.AreEqual(ids[1], attachments[1].GetProperty("id").GetString());

        var statusId = posted.GetProperty("id").GetString();
        var (_, shown) = await Send(HttpMethod.Get, $"/api/v1/statuses/{statusId}", null);
        Assert.AreEqual(first.ToString(), shown.GetProperty("media_attachments")[0].ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/alice/statuses/{statusId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        var note = JsonDocument.Parse(await (await _instance.Http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        var document = note.GetProperty("attachment")[0];
        Assert.AreEqual("Document", document.GetProperty("type").GetString());
        Assert.AreEqual("image/jpeg", document.GetProperty("mediaType").GetString());
        Assert.AreEqual(first.GetProperty("url").GetString(), document.GetProperty("url").GetString());
        Assert.AreEqual("Flag", document.GetProperty("name").GetString());
        Assert.AreEqual(first.GetProperty("blurhash").GetString(), document.GetProperty("blurhash").GetString());
        Assert.AreEqual(48, document.GetProperty("width").GetInt32());
        Assert.AreEqual(64, document.GetProperty("height").GetInt32());
        CollectionAssert.AreEqual(new[] { 0.5, -0.25 }, document.GetProperty("focalPoint").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.AreEqual("image/png", note.GetProperty("attachment")[1].GetProperty("mediaType").GetString());
        Assert.AreEqual(JsonValueKind.Null, note.GetProperty("attachment")[1].GetProperty("name").ValueKind);
        Assert.AreEqual("toot:blurhash", note.GetProperty("@context")[1].GetProperty("blurhash").GetString());

        // The public post page shows the preview with its description as alt text, linking to the original; feeds carry it too.
        var page = await (await _instance.Http.GetAsync($"/@alice/{statusId}")).Content.ReadAsStringAsync();
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page);
        var image = html.QuerySelector(".h-entry .post-media img")!;
        Assert.IsNotNull(image, page);
        Assert.AreEqual(first.GetProperty("preview_url").GetString(), image.GetAttribute("src"));
        Assert.AreEqual("Flag", image.GetAttribute("alt"));
        Assert.AreEqual(first.GetProperty("url").GetString(), image.ParentElement!.GetAttribute("href"));
        var rss = System.Xml.Linq.XDocument.Parse(await (await _instance.Http.GetAsync("/@alice.rss")).Content.ReadAsStringAsync());
        var enclosure = rss.Descendants("item").First(i => i.Element("link")!.Value.EndsWith(statusId!, StringComparison.Ordinal)).Element("enclosure")!;
        Assert.AreEqual(first.GetProperty("url").GetString(), enclosure.Attribute("url")!.Value);
        Assert.AreEqual("image/jpeg", enclosure.Attribute("type")!.Value);
        var atom = System.Xml.Linq.XDocument.Parse(await (await _instance.Http.GetAsync("/@alice.atom")).Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace a = "http://www.w3.org/2005/Atom";
        Assert.AreEqual(2, atom.Descendants(a + "entry").First().Elements(a + "link").Count(l => l.Attribute("rel")!.Value == "enclosure"));

        // Attached media is frozen: the media API no longer shows or edits it, and no second status takes it.
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/media/{ids[0]}", _alice)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, $"/api/v1/media/{ids[0]}", _alice, Json(new { description = "x" }))).Status);
        Assert.AreEqual((HttpStatusCode)422, (await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Again", media_ids = new[] { ids[0] } }))).Status);
    }

    [TestMethod]
    public async Task Another_accounts_media_or_too_many_media_are_refused_and_nothing_is_posted()
    {
        var (_, bobs) = await Upload("photo.webp", "/api/v2/media", _bob);
        var bobsId = bobs.GetProperty("id").GetString()!;

        var (status, body) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Not mine", media_ids = new[] { bobsId } }));

        Assert.AreEqual((HttpStatusCode)422, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), bobsId);
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/v1/media/{bobsId}", _bob)).Status, "still Bob's, still unattached");

        var five = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            five.Add((await Upload("transparent.gif", "/api/v2/media", _alice)).Body.GetProperty("id").GetString()!);
        }

        var (tooMany, _) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Five", media_ids = five }));
        Assert.AreEqual((HttpStatusCode)422, tooMany);
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/api/v1/media/{five[0]}", _alice)).Status, "nothing was claimed");
    }

    [TestMethod]
    public async Task A_status_may_be_media_only_with_form_encoded_media_ids()
    {
        var (_, media) = await Upload("photo.webp", "/api/v2/media", _alice);
        var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("media_ids[]", media.GetProperty("id").GetString()!)]);

        var (status, posted) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, form);

        Assert.AreEqual(HttpStatusCode.OK, status, posted.ToString());
        Assert.AreEqual(1, posted.GetProperty("media_attachments").GetArrayLength());
    }

    [TestMethod]
    public async Task Deleting_a_status_with_delete_media_deletes_its_media_files()
    {
        var (_, media) = await Upload("photo.webp", "/api/v2/media", _alice);
        var (_, posted) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Short-lived", media_ids = new[] { media.GetProperty("id").GetString() } }));
        var url = media.GetProperty("url").GetString()!;
        var preview = media.GetProperty("preview_url").GetString()!;
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync(url)).StatusCode);

        var (deleted, body) = await Send(HttpMethod.Delete, $"/api/v1/statuses/{posted.GetProperty("id").GetString()}?delete_media=true", _alice);

        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual(1, body.GetProperty("media_attachments").GetArrayLength(), "delete-and-redraft shows what was attached");
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(url)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(preview)).StatusCode);
    }

    [TestMethod]
    public async Task Deleting_an_edited_status_with_delete_media_also_deletes_media_an_edit_removed()
    {
        var (_, kept) = await Upload("photo.webp", "/api/v2/media", _alice);
        var (_, dropped) = await Upload("transparent.gif", "/api/v2/media", _alice);
        var (_, posted) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Two pictures", media_ids = new[] { kept.GetProperty("id").GetString(), dropped.GetProperty("id").GetString() } }));
        var id = posted.GetProperty("id").GetString();
        var (edited, body) = await Send(HttpMethod.Put, $"/api/v1/statuses/{id}", _alice, Json(new { status = "One picture", media_ids = new[] { kept.GetProperty("id").GetString() } }));
        Assert.AreEqual(HttpStatusCode.OK, edited, body.ToString());
        Assert.AreEqual(1, body.GetProperty("media_attachments").GetArrayLength());
        var droppedUrl = dropped.GetProperty("url").GetString()!;
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync(droppedUrl)).StatusCode, "the history still shows it");

        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Delete, $"/api/v1/statuses/{id}", _alice, Json(new { delete_media = true }))).Status);

        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(droppedUrl)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(dropped.GetProperty("preview_url").GetString()!)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(kept.GetProperty("url").GetString()!)).StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Upload(string fixture, string path, string? token, string? description = null, string? focus = null)
    {
        var content = Multipart(MediaFixtures.Read(fixture), fixture);
        if (description is not null)
        {
            content.Add(new StringContent(description), "description");
        }

        if (focus is not null)
        {
            content.Add(new StringContent(focus), "focus");
        }

        return await Send(HttpMethod.Post, path, token, content);
    }

    private static MultipartFormDataContent Multipart(byte[] data, string fileName)
    {
        var file = new ByteArrayContent(data);
        // What a client claims is ignored: the type comes from the bytes.
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

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

    private static string Regex(string value) => System.Text.RegularExpressions.Regex.Escape(value);
}
