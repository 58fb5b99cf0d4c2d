using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><c>POST /api/v1/accounts/:id/note</c> (docs: methods/accounts#note): the caller's private note on an account, shown only to the caller in its Relationship.</summary>
[TestClass]
public sealed class AccountNoteTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _client = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _instance = await TestInstance.StartAsync();
        _client = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task A_note_is_answered_in_the_relationship_shown_to_its_writer_only_and_removed_by_an_empty_comment()
    {
        var (_, aliceToken) = await _client.AccountAsync("note_alice");
        var (bob, _) = await _client.AccountAsync("note_bob");
        var (_, carolToken) = await _client.AccountAsync("note_carol");

        var (set, relationship) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/note", aliceToken, ApiTestClient.Json(new { comment = "Press officer of the ministry" }));
        var (_, aliceSees) = await _client.GetAsync($"/api/v1/accounts/relationships?id[]={bob.Id}", aliceToken);
        var (_, carolSees) = await _client.GetAsync($"/api/v1/accounts/relationships?id[]={bob.Id}", carolToken);
        var (changed, changedRelationship) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/note", aliceToken, new FormUrlEncodedContent([new("comment", "Moved to the city council")]));
        var (cleared, clearedRelationship) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/note", aliceToken, ApiTestClient.Json(new { comment = "" }));
        var (_, afterClear) = await _client.GetAsync($"/api/v1/accounts/relationships?id[]={bob.Id}", aliceToken);

        Assert.AreEqual(HttpStatusCode.OK, set, relationship.ToString());
        Assert.AreEqual(bob.Id, relationship.GetProperty("id").GetString());
        Assert.AreEqual("Press officer of the ministry", relationship.GetProperty("note").GetString());
        Assert.AreEqual("Press officer of the ministry", aliceSees[0].GetProperty("note").GetString());
        Assert.AreEqual("", carolSees[0].GetProperty("note").GetString());
        Assert.AreEqual(HttpStatusCode.OK, changed);
        Assert.AreEqual("Moved to the city council", changedRelationship.GetProperty("note").GetString());
        Assert.AreEqual(HttpStatusCode.OK, cleared);
        Assert.AreEqual("", clearedRelationship.GetProperty("note").GetString());
        Assert.AreEqual("", afterClear[0].GetProperty("note").GetString());
    }

    [TestMethod]
    public async Task Hostile_notes_get_Mastodons_errors_and_change_nothing()
    {
        var (_, token) = await _client.AccountAsync("note_dave");
        var (_, readOnly) = await _client.AccountAsync("note_erin", "read");
        var (frank, _) = await _client.AccountAsync("note_frank");
        await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{frank.Id}/note", token, ApiTestClient.Json(new { comment = "kept" }));

        var (tooLong, tooLongBody) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{frank.Id}/note", token, ApiTestClient.Json(new { comment = new string('x', 2001) }));
        var (unknown, unknownBody) = await _client.SendAsync(HttpMethod.Post, "/api/v1/accounts/123456789012345678/note", token, ApiTestClient.Json(new { comment = "x" }));
        var (noScope, _) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{frank.Id}/note", readOnly, ApiTestClient.Json(new { comment = "x" }));
        var (anonymous, _) = await _client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{frank.Id}/note", null, ApiTestClient.Json(new { comment = "x" }));
        var (_, after) = await _client.GetAsync($"/api/v1/accounts/relationships?id[]={frank.Id}", token);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, tooLong);
        Assert.AreEqual(JsonValueKind.String, tooLongBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.NotFound, unknown);
        Assert.AreEqual(JsonValueKind.String, unknownBody.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.Forbidden, noScope);
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous);
        Assert.AreEqual("kept", after[0].GetProperty("note").GetString());
    }
}
