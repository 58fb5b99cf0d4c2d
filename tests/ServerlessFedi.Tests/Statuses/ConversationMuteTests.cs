using System.Net;
using System.Text.Json.Nodes;
using ServerlessFedi.Tests.Federation;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// <c>POST /api/v1/statuses/:id/mute</c> and <c>/unmute</c> (docs: methods/statuses#mute): the caller gets no notifications
/// about any status of the muted thread, local or remote, and sees <c>muted</c>; other threads notify as before.
/// </summary>
[TestClass]
public sealed class ConversationMuteTests : FederationTest<ConversationMuteTests>
{
    [TestMethod]
    public async Task A_muted_thread_notifies_nobody_who_muted_it_until_unmuted_while_other_threads_still_notify()
    {
        var (alice, aliceToken) = await AccountAsync("alice" + Next());
        var (_, bobToken) = await AccountAsync("bob" + Next());
        var (_, carolToken) = await AccountAsync("carol" + Next());
        var root = await PostAsync(aliceToken, "Road closure on the B27 from Monday");
        var other = await PostAsync(aliceToken, "Office hours on Friday");
        var reply = await ReplyAsync(bobToken, root, $"@{alice.Username} until when?");
        Assert.AreEqual(1, await CountAsync(aliceToken, "mention"), "a reply notifies before the mute");

        var (muted, mutedBody) = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{reply}/mute", aliceToken);
        var (_, rootShown) = await GetAsync($"/api/v1/statuses/{root}", aliceToken);
        var (_, rootToBob) = await GetAsync($"/api/v1/statuses/{root}", bobToken);
        await ReplyAsync(carolToken, reply, $"@{alice.Username} same question");
        await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{root}/favourite", carolToken);
        await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{root}/reblog", bobToken);
        await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{other}/favourite", carolToken);
        await WaitUntilQuietAsync(); // favourites notify from the queue

        Assert.AreEqual(HttpStatusCode.OK, muted, mutedBody.ToString());
        Assert.IsTrue(mutedBody.GetProperty("muted").GetBoolean());
        Assert.IsTrue(rootShown.GetProperty("muted").GetBoolean(), "the whole thread is muted, its root included");
        Assert.IsFalse(rootToBob.GetProperty("muted").GetBoolean(), "a mute is the caller's own");
        Assert.AreEqual(1, await CountAsync(aliceToken, "mention"), "no mention from the muted thread");
        Assert.AreEqual(0, await CountAsync(aliceToken, "reblog"));
        Assert.AreEqual(1, await CountAsync(aliceToken, "favourite"), "only the favourite of the other thread");

        var (unmuted, unmutedBody) = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{root}/unmute", aliceToken);
        await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{root}/favourite", bobToken);
        await WaitUntilQuietAsync();

        Assert.AreEqual(HttpStatusCode.OK, unmuted);
        Assert.IsFalse(unmutedBody.GetProperty("muted").GetBoolean());
        Assert.AreEqual(2, await CountAsync(aliceToken, "favourite"), "notifications come again after unmuting");
    }

    [TestMethod]
    public async Task A_remote_reply_in_a_muted_thread_does_not_notify()
    {
        var (alice, aliceToken) = await AccountAsync("alice" + Next());
        var root = await PostAsync(aliceToken, "Consultation on the new bus lines");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{root}/mute", aliceToken)).Status);
        var erin = Peer.AddActor("erin" + Next());

        var note = Note($"{erin.Id}/statuses/{Next()}", erin.Id, $"<p>@{alice.Username} what about line 7?</p>");
        note["inReplyTo"] = StatusUri(alice, root);
        note["cc"] = new JsonArray(ActorUri(alice));
        note["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice), ["name"] = $"@{alice.Username}" });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(erin, note), erin)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{root}/context", aliceToken)).Body.GetProperty("descendants").GetArrayLength() == 1, "the remote reply arriving");
        await WaitUntilQuietAsync();

        Assert.AreEqual(0, await CountAsync(aliceToken, "mention"), "the remote reply belongs to the muted thread");
    }

    [TestMethod]
    public async Task Muting_what_the_caller_cannot_see_or_without_the_scope_is_refused()
    {
        var (_, aliceToken) = await AccountAsync("alice" + Next());
        var (_, bobToken) = await AccountAsync("bob" + Next());
        var (_, readOnly) = await Api.AccountAsync("reader" + Next(), "read");
        var direct = await SendAsync(HttpMethod.Post, "/api/v1/statuses", bobToken, Json(new { status = "private note", visibility = "direct" }));
        var directId = direct.Body.GetProperty("id").GetString();
        var visible = await PostAsync(bobToken, "public");

        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{directId}/mute", aliceToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/statuses/123456789012345678/mute", aliceToken)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{visible}/mute", readOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{visible}/mute", null)).Status);
    }

    private static async Task<string> ReplyAsync(string token, string parentId, string text)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = text, in_reply_to_id = parentId }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<int> CountAsync(string token, string type)
    {
        var (_, list) = await GetAsync("/api/v1/notifications?limit=40", token);
        return list.EnumerateArray().Count(n => n.GetProperty("type").GetString() == type);
    }
}
