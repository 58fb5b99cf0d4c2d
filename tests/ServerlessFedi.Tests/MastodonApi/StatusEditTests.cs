using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>PUT /api/v1/statuses/:id with /history and /source over real HTTP, the Note's <c>updated</c> and the federated Update(Note).</summary>
[TestClass]
public sealed class StatusEditTests
{
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

    [TestMethod]
    public async Task Editing_changes_the_status_and_keeps_history_and_source()
    {
        var (author, token) = await _api.AccountAsync("editor" + ApiTestClient.Next());
        var id = await _api.PostAsync(token, "First version #draft");

        var (status, edited) = await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token,
            ApiTestClient.Json(new { status = "Second version #final", spoiler_text = "Update", language = "en" }));

        Assert.AreEqual(HttpStatusCode.OK, status, edited.ToString());
        Assert.AreEqual(id, edited.GetProperty("id").GetString());
        Assert.Contains("Second version", edited.GetProperty("content").GetString()!);
        Assert.AreEqual("Update", edited.GetProperty("spoiler_text").GetString());
        Assert.IsTrue(edited.GetProperty("sensitive").GetBoolean(), "a content warning makes it sensitive");
        Assert.AreEqual("en", edited.GetProperty("language").GetString());
        Assert.AreEqual("final", edited.GetProperty("tags")[0].GetProperty("name").GetString());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", edited.GetProperty("edited_at").GetString()!);
        Assert.AreEqual(edited.GetProperty("created_at").GetString(), (await _api.GetAsync($"/api/v1/statuses/{id}", token)).Body.GetProperty("created_at").GetString());
        Assert.AreEqual(edited.GetProperty("edited_at").GetString(), (await _api.GetAsync($"/api/v1/statuses/{id}", null)).Body.GetProperty("edited_at").GetString());

        var (historyStatus, history) = await _api.GetAsync($"/api/v1/statuses/{id}/history", null);
        Assert.AreEqual(HttpStatusCode.OK, historyStatus);
        Assert.AreEqual(2, history.GetArrayLength());
        Assert.Contains("First version", history[0].GetProperty("content").GetString()!);
        Assert.AreEqual("", history[0].GetProperty("spoiler_text").GetString());
        Assert.IsFalse(history[0].GetProperty("sensitive").GetBoolean());
        Assert.AreEqual(edited.GetProperty("created_at").GetString(), history[0].GetProperty("created_at").GetString());
        Assert.Contains("Second version", history[1].GetProperty("content").GetString()!);
        Assert.AreEqual(edited.GetProperty("edited_at").GetString(), history[1].GetProperty("created_at").GetString());
        Assert.AreEqual(author.Id, history[1].GetProperty("account").GetProperty("id").GetString());
        Assert.AreEqual(JsonValueKind.Null, history[1].GetProperty("poll").ValueKind);
        Assert.AreEqual(JsonValueKind.Array, history[1].GetProperty("media_attachments").ValueKind);
        Assert.AreEqual(JsonValueKind.Array, history[1].GetProperty("emojis").ValueKind);

        var (sourceStatus, source) = await _api.GetAsync($"/api/v1/statuses/{id}/source", token);
        Assert.AreEqual(HttpStatusCode.OK, sourceStatus);
        Assert.AreEqual(id, source.GetProperty("id").GetString());
        Assert.AreEqual("Second version #final", source.GetProperty("text").GetString());
        Assert.AreEqual("Update", source.GetProperty("spoiler_text").GetString());

        var (_, note) = await _api.SendAsync(HttpMethod.Get, $"/users/{author.Username}/statuses/{id}", null, accept: "application/activity+json");
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", note.GetProperty("updated").GetString()!);
        Assert.Contains("Second version", note.GetProperty("content").GetString()!);

        var (_, unchanged) = await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token, ApiTestClient.Json(new { status = "Second version #final", spoiler_text = "Update" }));
        Assert.AreEqual(edited.GetProperty("edited_at").GetString(), unchanged.GetProperty("edited_at").GetString(), "an unchanged edit is no edit");
        Assert.AreEqual(2, (await _api.GetAsync($"/api/v1/statuses/{id}/history", null)).Body.GetArrayLength());

        var (_, fresh) = await _api.GetAsync($"/api/v1/statuses/{await _api.PostAsync(token, "Never edited")}/history", null);
        Assert.AreEqual(1, fresh.GetArrayLength(), "an unedited status has its one version");
    }

    [TestMethod]
    public async Task Only_the_author_may_edit_and_invalid_edits_change_nothing()
    {
        var (author, token) = await _api.AccountAsync("owner" + ApiTestClient.Next());
        var (_, otherToken) = await _api.AccountAsync("other" + ApiTestClient.Next());
        var id = await _api.PostAsync(token, "Original");

        var foreign = await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", otherToken, ApiTestClient.Json(new { status = "Hijacked" }));
        Assert.AreEqual(HttpStatusCode.NotFound, foreign.Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/statuses/{id}/source", otherToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Put, "/api/v1/statuses/111111111111111111", token, ApiTestClient.Json(new { status = "x" }))).Status);
        var tooLong = await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token, ApiTestClient.Json(new { status = new string('a', 501) }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, tooLong.Status);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token, ApiTestClient.Json(new { status = "" }))).Status);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token, ApiTestClient.Json(new { status = "x", media_ids = new[] { "111111111111111111" } }))).Status);
        var readOnly = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(author.Id, ["read"]);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", readOnly, ApiTestClient.Json(new { status = "x" }))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", null, ApiTestClient.Json(new { status = "x" }))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.GetAsync($"/api/v1/statuses/{id}/source", null)).Status);

        var (_, after) = await _api.GetAsync($"/api/v1/statuses/{id}", null);
        Assert.Contains("Original", after.GetProperty("content").GetString()!);
        Assert.AreEqual(JsonValueKind.Null, after.GetProperty("edited_at").ValueKind);
        Assert.AreEqual(1, (await _api.GetAsync($"/api/v1/statuses/{id}/history", null)).Body.GetArrayLength());
    }

    [TestMethod]
    public async Task An_edit_reaches_remote_followers_as_Update_Note_and_local_boosters_are_notified()
    {
        var (author, token) = await _api.AccountAsync("announcer" + ApiTestClient.Next());
        var (_, boosterToken) = await _api.AccountAsync("booster" + ApiTestClient.Next());
        var follower = _peer.AddActor("listener" + ApiTestClient.Next(), sharedInbox: false);
        await _api.FollowAsync(follower, author);
        var id = await _api.PostAsync(token, "Meeting on Monday");
        await ApiTestClient.ReceivedAsync(_peer, follower.InboxPath, "Create", _ => true, "the Create reaching the follower");
        Assert.AreEqual(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/reblog", boosterToken)).Status);

        // The boost's record, which finds the boosters of an edit, is written by its queue message, a hop after the answer.
        await Eventually.ValueAsync(() => _api.GetAsync($"/api/v1/statuses/{id}/reblogged_by", null), r => r.Body.GetArrayLength() == 1, "the boost's record");

        var (status, body) = await _api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", token, ApiTestClient.Json(new { status = "Meeting on Tuesday" }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());

        var update = await ApiTestClient.ReceivedAsync(_peer, follower.InboxPath, "Update", _ => true, "the Update(Note) reaching the follower");
        var note = update!["object"]!;
        Assert.AreEqual("Note", (string?)note["type"]);
        Assert.AreEqual($"{_instance.BaseUrl}/users/{author.Username}/statuses/{id}", (string?)note["id"]);
        Assert.Contains("Tuesday", (string?)note["content"] ?? "");
        Assert.IsNotNull((string?)note["updated"]);
        Assert.AreEqual("https://www.w3.org/ns/activitystreams#Public", (string?)update["to"]![0]);

        var notifications = await Eventually.ValueAsync(() => _api.GetAsync("/api/v1/notifications?types[]=update", boosterToken), n => n.Body.GetArrayLength() > 0, "the booster's update notification");
        Assert.AreEqual("update", notifications.Body[0].GetProperty("type").GetString());
        Assert.AreEqual(id, notifications.Body[0].GetProperty("status").GetProperty("id").GetString());
    }
}
