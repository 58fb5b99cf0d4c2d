using System.Net;
using System.Text.Json.Nodes;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Federation;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// Direct conversations (docs: methods/conversations): direct statuses, local and remote, make a conversation per thread
/// for each local participant, unread for those who received the newest status; read and remove change only the caller's.
/// </summary>
[TestClass]
public sealed class ConversationTests : FederationTest<ConversationTests>
{
    [TestMethod]
    public async Task Direct_messages_form_one_conversation_per_thread_with_unread_and_the_last_status()
    {
        var (alice, aliceToken) = await AccountAsync("alice" + Next());
        var (bob, bobToken) = await AccountAsync("bob" + Next());
        var first = await DirectAsync(aliceToken, $"@{bob.Username} Ihr Antrag ist eingegangen", null);
        await PostAsync(aliceToken, $"@{bob.Username} a public mention is no conversation");

        var (_, bobsList) = await GetAsync("/api/v1/conversations", bobToken);
        var (_, alicesList) = await GetAsync("/api/v1/conversations", aliceToken);
        Assert.AreEqual(1, bobsList.GetArrayLength(), bobsList.ToString());
        var bobs = bobsList[0];
        Assert.AreEqual(first, bobs.GetProperty("id").GetString(), "the thread's root names it");
        Assert.IsTrue(bobs.GetProperty("unread").GetBoolean());
        Assert.AreEqual(alice.Id, bobs.GetProperty("accounts").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.AreEqual(first, bobs.GetProperty("last_status").GetProperty("id").GetString());
        Assert.IsFalse(alicesList[0].GetProperty("unread").GetBoolean(), "the writer has read it");
        Assert.AreEqual(bob.Id, alicesList[0].GetProperty("accounts").EnumerateArray().Single().GetProperty("id").GetString());

        var reply = await DirectAsync(bobToken, $"@{alice.Username} Danke!", first);
        var (_, alicesAfter) = await GetAsync("/api/v1/conversations", aliceToken);
        var (read, readBody) = await SendAsync(HttpMethod.Post, $"/api/v1/conversations/{first}/read", bobToken);
        var (_, bobsAfterRead) = await GetAsync("/api/v1/conversations", bobToken);

        Assert.AreEqual(1, alicesAfter.GetArrayLength(), "the reply stays in the same conversation");
        Assert.IsTrue(alicesAfter[0].GetProperty("unread").GetBoolean());
        Assert.AreEqual(reply, alicesAfter[0].GetProperty("last_status").GetProperty("id").GetString());
        Assert.AreEqual(HttpStatusCode.OK, read, readBody.ToString());
        Assert.IsFalse(readBody.GetProperty("unread").GetBoolean());
        Assert.IsFalse(bobsAfterRead[0].GetProperty("unread").GetBoolean());

        var (removed, _) = await SendAsync(HttpMethod.Delete, $"/api/v1/conversations/{first}", bobToken);
        var (_, bobsAfterRemove) = await GetAsync("/api/v1/conversations", bobToken);
        var (_, alicesAfterRemove) = await GetAsync("/api/v1/conversations", aliceToken);
        Assert.AreEqual(HttpStatusCode.OK, removed);
        Assert.AreEqual(0, bobsAfterRemove.GetArrayLength());
        Assert.AreEqual(1, alicesAfterRemove.GetArrayLength(), "removing is the caller's own");
    }

    [TestMethod]
    public async Task A_remote_direct_message_starts_an_unread_conversation()
    {
        var (alice, aliceToken) = await AccountAsync("alice" + Next());
        var erin = Peer.AddActor("erin" + Next());
        var note = Note($"{erin.Id}/statuses/{Next()}", erin.Id, $"<p>@{alice.Username} Frage zum Bauantrag</p>");
        note["to"] = new JsonArray(ActorUri(alice));
        note["cc"] = new JsonArray();
        note["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice), ["name"] = $"@{alice.Username}" });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(erin, note), erin)).StatusCode);

        var list = await Eventually.ValueAsync(() => GetAsync("/api/v1/conversations", aliceToken), l => l.Body.GetArrayLength() == 1, "the remote direct message");
        Assert.IsTrue(list.Body[0].GetProperty("unread").GetBoolean());
        Assert.AreEqual(RemoteAccountIds.For(erin.Id), list.Body[0].GetProperty("accounts")[0].GetProperty("id").GetString());
        Assert.AreEqual("direct", list.Body[0].GetProperty("last_status").GetProperty("visibility").GetString());
    }

    [TestMethod]
    public async Task Another_accounts_conversation_and_missing_scopes_are_refused()
    {
        var (_, aliceToken) = await AccountAsync("alice" + Next());
        var (bob, _) = await AccountAsync("bob" + Next());
        var (_, carolToken) = await AccountAsync("carol" + Next());
        var (_, readOnly) = await Api.AccountAsync("reader" + Next(), "read");
        var first = await DirectAsync(aliceToken, $"@{bob.Username} vertraulich", null);

        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/conversations/{first}/read", carolToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/v1/conversations/{first}", carolToken)).Status);
        Assert.AreEqual(0, (await GetAsync("/api/v1/conversations", carolToken)).Body.GetArrayLength());
        Assert.AreEqual(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, $"/api/v1/conversations/{first}", readOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/conversations", null)).Status);
        Assert.AreEqual(1, (await GetAsync("/api/v1/conversations", aliceToken)).Body.GetArrayLength(), "nothing changed");
    }

    private static async Task<string> DirectAsync(string token, string text, string? inReplyTo)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = text, visibility = "direct", in_reply_to_id = inReplyTo }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }
}
