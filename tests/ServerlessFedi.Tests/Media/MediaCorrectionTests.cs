using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Media;

/// <summary>
/// Corrections (docs: methods/statuses#edit, #delete, methods/media#delete; Mastodon 4.4): <c>media_attributes[]</c> fixes
/// an attached alt text or focal point, a status deleted without <c>delete_media</c> leaves its media for a redraft, and
/// <c>DELETE /api/v1/media/:id</c> removes an upload no status holds.
/// </summary>
[TestClass]
public sealed class MediaCorrectionTests
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
        _bob = await tokens.IssueAsync(bob.Id, ["read", "write"]);
        _readOnly = await tokens.IssueAsync(alice.Id, ["read"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Media_attributes_fix_an_attached_alt_text_and_focus_keep_the_old_version_and_federate()
    {
        var mediaId = await UploadAsync(_alice, "Wrong alt text");
        var statusId = await PostAsync(_alice, "Flood map", mediaId);

        var (edited, body) = await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, Json(new
        {
            status = "Flood map",
            media_attributes = new[] { new { id = mediaId, description = "Map of the flooded districts along the river", focus = "0.25,-0.5" } },
        }));

        Assert.AreEqual(HttpStatusCode.OK, edited, body.ToString());
        var attachment = body.GetProperty("media_attachments")[0];
        Assert.AreEqual("Map of the flooded districts along the river", attachment.GetProperty("description").GetString());
        Assert.AreEqual(0.25, attachment.GetProperty("meta").GetProperty("focus").GetProperty("x").GetDouble());
        Assert.AreEqual(-0.5, attachment.GetProperty("meta").GetProperty("focus").GetProperty("y").GetDouble());
        Assert.AreNotEqual(JsonValueKind.Null, body.GetProperty("edited_at").ValueKind, "an alt text fix is an edit");
        var (_, history) = await Send(HttpMethod.Get, $"/api/v1/statuses/{statusId}/history", _alice);
        Assert.AreEqual(2, history.GetArrayLength());
        Assert.AreEqual("Wrong alt text", history[0].GetProperty("media_attachments")[0].GetProperty("description").GetString());

        // Form-encoded, as Tusky and the official apps send it.
        var (formEdited, formBody) = await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, new FormUrlEncodedContent(
        [
            new("status", "Flood map"),
            new("media_attributes[][id]", mediaId),
            new("media_attributes[][description]", "Map of the flooded districts"),
            new("media_attributes[][focus]", "0,0"),
        ]));
        Assert.AreEqual(HttpStatusCode.OK, formEdited, formBody.ToString());
        Assert.AreEqual("Map of the flooded districts", formBody.GetProperty("media_attachments")[0].GetProperty("description").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/alice/statuses/{statusId}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        var note = JsonDocument.Parse(await (await _instance.Http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual("Map of the flooded districts", note.GetProperty("attachment")[0].GetProperty("name").GetString(), "the Note (and its Update) carry the fixed alt text");
    }

    [TestMethod]
    public async Task Hostile_media_attributes_are_refused_and_change_nothing()
    {
        var mediaId = await UploadAsync(_alice, "Kept");
        var statusId = await PostAsync(_alice, "Unchanged", mediaId);
        var bobsMedia = await UploadAsync(_bob, "Bob's");

        var (tooLong, tooLongBody) = await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, Json(new { status = "Unchanged", media_attributes = new[] { new { id = mediaId, description = new string('x', 1501) } } }));
        var (badFocus, _) = await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, Json(new { status = "Unchanged", media_attributes = new[] { new { id = mediaId, focus = "2,0" } } }));
        var (foreign, foreignBody) = await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, Json(new { status = "Unchanged", media_attributes = new[] { new { id = bobsMedia, description = "hijacked" } } }));
        var (_, shown) = await Send(HttpMethod.Get, $"/api/v1/statuses/{statusId}", _alice);
        var (_, bobSees) = await Send(HttpMethod.Get, $"/api/v1/media/{bobsMedia}", _bob);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, tooLong);
        Assert.AreEqual(JsonValueKind.String, tooLongBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, badFocus);
        Assert.AreEqual(HttpStatusCode.OK, foreign, "attributes for media the status does not hold are ignored, as Mastodon");
        Assert.AreEqual(JsonValueKind.Null, foreignBody.GetProperty("edited_at").ValueKind, "so nothing changed");
        Assert.AreEqual("Kept", shown.GetProperty("media_attachments")[0].GetProperty("description").GetString());
        Assert.AreEqual(JsonValueKind.Null, shown.GetProperty("edited_at").ValueKind);
        Assert.AreEqual("Bob's", bobSees.GetProperty("description").GetString());
    }

    [TestMethod]
    public async Task A_status_deleted_without_delete_media_leaves_its_fixed_media_for_a_redraft()
    {
        var mediaId = await UploadAsync(_alice, "First alt");
        var statusId = await PostAsync(_alice, "Press release", mediaId);
        await Send(HttpMethod.Put, $"/api/v1/statuses/{statusId}", _alice, Json(new { status = "Press release", media_attributes = new[] { new { id = mediaId, description = "Fixed alt" } } }));
        var (_, posted) = await Send(HttpMethod.Get, $"/api/v1/statuses/{statusId}", _alice);
        var url = posted.GetProperty("media_attachments")[0].GetProperty("url").GetString()!;

        var (deleted, body) = await Send(HttpMethod.Delete, $"/api/v1/statuses/{statusId}", _alice);
        var (unattached, media) = await Send(HttpMethod.Get, $"/api/v1/media/{mediaId}", _alice);
        var file = await _instance.Http.GetAsync(url);
        var (redrafted, redraft) = await Send(HttpMethod.Post, "/api/v1/statuses", _alice, Json(new { status = "Press release (corrected)", media_ids = new[] { mediaId } }));

        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual(mediaId, body.GetProperty("media_attachments")[0].GetProperty("id").GetString());
        Assert.AreEqual(HttpStatusCode.OK, unattached, "unattached again, for its owner");
        Assert.AreEqual("Fixed alt", media.GetProperty("description").GetString(), "the fix reached the media itself");
        Assert.AreEqual(HttpStatusCode.OK, file.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, redrafted, redraft.ToString());
        Assert.AreEqual(mediaId, redraft.GetProperty("media_attachments")[0].GetProperty("id").GetString());
        Assert.AreEqual("Fixed alt", redraft.GetProperty("media_attachments")[0].GetProperty("description").GetString());
    }

    [TestMethod]
    public async Task Deleting_media_removes_only_the_owners_unattached_uploads()
    {
        var loose = await UploadAsync(_alice, "Not needed");
        var used = await UploadAsync(_alice, "In a post");
        await PostAsync(_alice, "Holds media", used);
        var (_, looseEntity) = await Send(HttpMethod.Get, $"/api/v1/media/{loose}", _alice);
        var looseUrl = looseEntity.GetProperty("url").GetString()!;

        var (byBob, byBobBody) = await Send(HttpMethod.Delete, $"/api/v1/media/{loose}", _bob);
        var (readOnly, _) = await Send(HttpMethod.Delete, $"/api/v1/media/{loose}", _readOnly);
        var (inUse, inUseBody) = await Send(HttpMethod.Delete, $"/api/v1/media/{used}", _alice);
        var (deleted, deletedBody) = await Send(HttpMethod.Delete, $"/api/v1/media/{loose}", _alice);
        var (again, _) = await Send(HttpMethod.Delete, $"/api/v1/media/{loose}", _alice);

        Assert.AreEqual(HttpStatusCode.NotFound, byBob);
        Assert.AreEqual("Record not found", byBobBody.GetProperty("error").GetString());
        Assert.AreEqual(HttpStatusCode.Forbidden, readOnly);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, inUse);
        Assert.AreEqual(JsonValueKind.String, inUseBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual("{}", deletedBody.GetRawText());
        Assert.AreEqual(HttpStatusCode.NotFound, again);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(looseUrl)).StatusCode, "its files are gone");
    }

    private static async Task<string> UploadAsync(string token, string description)
    {
        var file = new ByteArrayContent(MediaFixtures.Read("photo.webp"));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/webp");
        var content = new MultipartFormDataContent { { file, "file", "photo.webp" }, { new StringContent(description), "description" } };
        var (status, media) = await Send(HttpMethod.Post, "/api/v2/media", token, content);
        Assert.AreEqual(HttpStatusCode.OK, status, media.ToString());
        return media.GetProperty("id").GetString()!;
    }

    private static async Task<string> PostAsync(string token, string text, string mediaId)
    {
        var (status, posted) = await Send(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = text, media_ids = new[] { mediaId } }));
        Assert.AreEqual(HttpStatusCode.OK, status, posted.ToString());
        return posted.GetProperty("id").GetString()!;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, HttpContent? content = null) =>
        new ApiTestClient(_instance).SendAsync(method, path, token, content);

    private static StringContent Json(object value) => ApiTestClient.Json(value);
}
