using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Hostile inbox activities of the kinds other fediverse servers published advisories for (docs/SECURITY.md, advisory review):
/// a Create that names a stored note to widen its audience (Mastodon CVE-2024-37903), edits and deletions of another actor's
/// note, a boost of a private post, and a Move to an account that does not name the old one. Each is signed correctly by a
/// <see cref="FakePeer"/> actor, so only the inbox's own rules stand between it and the agency's data.
/// </summary>
[TestClass]
public sealed class InboxAdvisoryTests : FederationTest<InboxAdvisoryTests>
{
    [TestMethod]
    public async Task A_Create_naming_a_stored_note_does_not_widen_its_audience()
    {
        var (_, bobToken) = await Api.AccountAsync("dmreader");
        var (_, daveToken) = await Api.AccountAsync("dmoutsider");
        var carol = Peer.AddActor("dmcarol" + ApiTestClient.Next());
        var mallory = Peer.AddActor("dmmallory" + ApiTestClient.Next());
        var noteId = $"{carol.Id}/statuses/{ApiTestClient.Next()}";
        var note = new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = carol.Id,
            ["to"] = new JsonArray(ActorUri("dmreader")),
            ["content"] = "<p>For your eyes only</p>",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri("dmreader") }),
        };
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", Create(carol, note), carol)).StatusCode);
        var mention = await Eventually.ValueAsync(() => Api.GetAsync("/api/v1/notifications", bobToken), n => n.Body.GetArrayLength() == 1, "bob's mention");
        var statusId = mention.Body[0].GetProperty("status").GetProperty("id").GetString();

        // Another actor of the same server re-announces the note with a new audience, once as its own and once as carol's.
        foreach (var author in new[] { mallory.Id, carol.Id })
        {
            var widened = (JsonObject)note.DeepClone();
            widened["attributedTo"] = author;
            widened["to"] = new JsonArray(ActorUri("dmoutsider"), Public);
            widened["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri("dmoutsider") });
            Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", Create(mallory, widened), mallory)).StatusCode);
        }

        await Api.WaitUntilQuietAsync();
        Assert.AreEqual(0, (await Api.GetAsync("/api/v1/notifications", daveToken)).Body.GetArrayLength(), "the outsider is not notified");
        Assert.AreEqual(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/v1/statuses/{statusId}", daveToken)).Status, "nor can read the note");
        Assert.AreEqual(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/v1/statuses/{statusId}", null)).Status, "nor can anyone else");
        var kept = await Api.GetAsync($"/api/v1/statuses/{statusId}", bobToken);
        Assert.AreEqual("direct", kept.Body.GetProperty("visibility").GetString());
        Assert.AreEqual(carol.Id, kept.Body.GetProperty("account").GetProperty("uri").GetString());
        Assert.IsFalse((await Api.GetAsync("/api/v1/timelines/public?remote=true", null)).Body.EnumerateArray().Any(s => s.GetProperty("uri").GetString() == noteId));
    }

    [TestMethod]
    public async Task Another_actors_Update_or_Delete_of_a_stored_note_changes_nothing()
    {
        var (_, token) = await Api.AccountAsync("ownedreader");
        var erin = Peer.AddActor("ownederin" + ApiTestClient.Next());
        var mallory = Peer.AddActor("ownedmallory" + ApiTestClient.Next());
        var noteId = $"{erin.Id}/statuses/{ApiTestClient.Next()}";
        var note = new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = erin.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(ActorUri("ownedreader")),
            ["content"] = "<p>The office opens at nine.</p>",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri("ownedreader") }),
        };
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", Create(erin, note), erin)).StatusCode);
        var mention = await Eventually.ValueAsync(() => Api.GetAsync("/api/v1/notifications", token), n => n.Body.GetArrayLength() == 1, "the mention");
        var statusId = mention.Body[0].GetProperty("status").GetProperty("id").GetString();

        foreach (var author in new[] { mallory.Id, erin.Id })
        {
            var forged = (JsonObject)note.DeepClone();
            forged["attributedTo"] = author;
            forged["content"] = "<p>The office is closed for good.</p>";
            forged["updated"] = DateTimeOffset.UtcNow.ToString("O");
            var update = Activity(mallory, "Update", null);
            update["object"] = forged;
            Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", update, mallory)).StatusCode);
        }

        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", Activity(mallory, "Delete", noteId), mallory)).StatusCode);
        var tombstone = Activity(mallory, "Delete", null);
        tombstone["object"] = new JsonObject { ["id"] = noteId, ["type"] = "Tombstone" };
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", tombstone, mallory)).StatusCode);

        await Api.WaitUntilQuietAsync();
        var status = await Api.GetAsync($"/api/v1/statuses/{statusId}", token);
        Assert.AreEqual(HttpStatusCode.OK, status.Status, "the note is still there");
        StringAssert.Contains(status.Body.GetProperty("content").GetString(), "opens at nine");
        Assert.AreEqual(JsonValueKind.Null, status.Body.GetProperty("edited_at").ValueKind);
    }

    [TestMethod]
    public async Task An_Announce_of_a_private_status_is_neither_counted_nor_notified()
    {
        var (alice, token) = await Api.AccountAsync("privateboosted");
        var (_, body) = await Api.SendAsync(HttpMethod.Post, "/api/v1/statuses", token, ApiTestClient.Json(new { status = "Followers only", visibility = "private" }));
        var post = body.GetProperty("id").GetString()!;
        var frank = Peer.AddActor("boostingfollower" + ApiTestClient.Next());
        await Api.FollowAsync(frank, alice);

        var announce = Activity(frank, "Announce", $"{ActorUri(alice.Username)}/statuses/{post}");
        announce["to"] = new JsonArray(Public);
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", announce, frank)).StatusCode);

        await Api.WaitUntilQuietAsync();
        Assert.AreEqual(0, (await Api.GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("reblogs_count").GetInt32());
        Assert.AreEqual(0, (await Api.GetAsync($"/api/v1/statuses/{post}/reblogged_by", token)).Body.GetArrayLength());
        var types = (await Api.GetAsync("/api/v1/notifications", token)).Body.EnumerateArray().Select(n => n.GetProperty("type").GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "follow" }, types, "no reblog notification");
    }

    [TestMethod]
    public async Task A_Move_is_followed_only_when_the_target_names_the_moving_account()
    {
        var (alice, token) = await Api.AccountAsync("mover");
        var old = Peer.AddActor("oldhome" + ApiTestClient.Next());
        await FollowRemoteAsync(alice, token, old);

        // A target that does not list the old account in alsoKnownAs, and a Move of an account by someone else.
        var stranger = ServeActor("strangerhome" + ApiTestClient.Next());
        var moveToStranger = Activity(old, "Move", old.Id);
        moveToStranger["target"] = stranger.Id;
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", moveToStranger, old)).StatusCode);
        var mallory = Peer.AddActor("movemallory" + ApiTestClient.Next());
        var malloryTarget = ServeActor("mallorynew" + ApiTestClient.Next(), old.Id);
        var moveOfAnother = Activity(mallory, "Move", old.Id);
        moveOfAnother["target"] = malloryTarget.Id;
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", moveOfAnother, mallory)).StatusCode);
        await Api.WaitUntilQuietAsync();
        Assert.IsEmpty(Peer.PostsTo(new Uri(stranger.Inbox).AbsolutePath), "no Follow to a target that does not name the old account");
        Assert.IsEmpty(Peer.PostsTo(new Uri(malloryTarget.Inbox).AbsolutePath), "no Follow for a Move signed by another actor");
        Assert.IsTrue((await Api.GetAsync($"/api/v1/accounts/relationships?id[]={RemoteAccountIds.For(old.Id)}", token)).Body[0].GetProperty("following").GetBoolean());

        // The genuine Move: the new account names the old one.
        var successor = ServeActor("newhome" + ApiTestClient.Next(), old.Id);
        var move = Activity(old, "Move", old.Id);
        move["target"] = successor.Id;
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync($"/users/{alice.Username}/inbox", move, old)).StatusCode);
        var follow = await ApiTestClient.ReceivedAsync(Peer, new Uri(successor.Inbox).AbsolutePath, "Follow", a => (string?)a["actor"] == ActorUri(alice.Username), "the Follow of the new account");
        Assert.AreEqual(successor.Id, (string?)follow!["object"]);
        await ApiTestClient.ReceivedAsync(Peer, old.InboxPath, "Undo", a => (string?)a["object"]?["type"] == "Follow", "the Undo(Follow) of the old account");
    }

    [TestMethod]
    public async Task A_badly_signed_request_from_an_unknown_actor_fetches_its_key_once()
    {
        var (alice, _) = await Api.AccountAsync("junksigned");
        var ghost = Peer.AddActor("ghost" + ApiTestClient.Next());
        var other = Peer.AddActor("notghost" + ApiTestClient.Next());

        // ghost's keyId, another key pair's signature: anyone can send this without holding a key.
        var response = await Api.PostSignedAsync("/inbox", Activity(ghost, "Follow", ActorUri(alice.Username)), ghost with { PrivateKeyPem = other.PrivateKeyPem });

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.HasCount(1, Peer.GetsOf(new Uri(ghost.Id).AbsolutePath), "one fetch of a key nobody had cached");
    }

    private static string ActorUri(string username) => $"{Instance.BaseUrl}/users/{username}";
}
