using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Nothing a remote server sends can overwrite a status it does not own (issue 11, findings 1 and 6): a remote note or boost
/// whose derived snowflake id equals a local post's id (the sender picks its object id so that 16 bits of its hash match)
/// is stored under another id of the same millisecond, and its later Update, Delete or Undo touch only it; an Update older
/// than the stored edit is refused.
/// </summary>
[TestClass]
public sealed class RemoteStatusIntegrityTests : FederationTest<RemoteStatusIntegrityTests>
{
    [TestMethod]
    public async Task A_remote_note_whose_id_collides_with_a_local_post_leaves_the_post_alone_and_its_Update_and_Delete_touch_only_it()
    {
        var (alice, token) = await Api.AccountAsync("collided");
        var post = await Api.PostAsync(token, "Road works on Main Street until Friday");
        var mallory = Peer.AddActor("mallory" + ApiTestClient.Next());
        var noteId = CollidingId($"{mallory.Id}/statuses/", post);
        var published = SnowflakeIds.TimeOf(post);
        Assert.AreEqual(post, SnowflakeIds.ForRemote(published, DateTimeOffset.UtcNow, noteId), "the chosen object id derives the local post's id");

        var note = Note(noteId, mallory, "<p>Main Street is closed for good</p>", published, alice);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(mallory, "Create", note), mallory)).StatusCode);
        var mention = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications", token), n => n.Body.GetArrayLength() > 0, "the mention of alice");
        var stored = mention.Body[0].GetProperty("status");
        var remoteId = stored.GetProperty("id").GetString()!;

        Assert.AreNotEqual(post, remoteId, "the remote note gets another id");
        Assert.AreEqual(noteId, stored.GetProperty("uri").GetString());
        Assert.AreEqual(SnowflakeIds.TimeOf(post), SnowflakeIds.TimeOf(remoteId), "still ordered by its published time");
        await AssertLocalPostUntouchedAsync(post, alice, token, "Road works on Main Street");

        var edited = Note(noteId, mallory, "<p>Main Street reopens on Monday</p>", published, alice);
        edited["updated"] = published.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(mallory, "Update", edited), mallory)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{remoteId}", token)).Body.GetProperty("content").GetString()!.Contains("reopens", StringComparison.Ordinal), "the remote note's edit");
        await AssertLocalPostUntouchedAsync(post, alice, token, "Road works on Main Street");

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(mallory, "Delete", noteId), mallory)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{remoteId}", token)).Status == HttpStatusCode.NotFound, "the remote note's deletion");
        await AssertLocalPostUntouchedAsync(post, alice, token, "Road works on Main Street");
    }

    [TestMethod]
    public async Task A_remote_boost_whose_id_collides_with_a_local_post_is_stored_apart_and_its_Undo_leaves_the_post()
    {
        var (alice, token) = await Api.AccountAsync("boostcollided");
        var target = await Api.PostAsync(token, "Library opening hours change in May");
        var post = await Api.PostAsync(token, "Vaccination centre moves to the town hall");
        var mallory = Peer.AddActor("mallory" + ApiTestClient.Next());
        await FollowAsync(alice, mallory);
        var announceId = CollidingId($"{mallory.Id}/statuses/", post, "/activity");

        var announce = Activity(mallory, "Announce", $"{Instance.BaseUrl}/users/{alice.Username}/statuses/{target}");
        announce["id"] = announceId;
        announce["to"] = new JsonArray(Public);
        announce["published"] = SnowflakeIds.TimeOf(post).ToString("O", CultureInfo.InvariantCulture);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(announce, mallory)).StatusCode);

        // alice authored the boosted post, so the boost is not in her home; mallory's profile lists it.
        var malloryId = RemoteAccountIds.For(mallory.Id);
        var boosts = await Eventually.ValueAsync(() => GetAsync($"/api/v1/accounts/{malloryId}/statuses", token), b => b.Status == HttpStatusCode.OK && b.Body.GetArrayLength() > 0, "the boost stored");
        var boostId = boosts.Body[0].GetProperty("id").GetString();
        Assert.AreNotEqual(post, boostId);
        Assert.AreEqual(target, boosts.Body[0].GetProperty("reblog").GetProperty("id").GetString());
        await AssertLocalPostUntouchedAsync(post, alice, token, "Vaccination centre");

        var undo = Activity(mallory, "Undo", null);
        var inner = (JsonObject)JsonNode.Parse(announce.ToJsonString())!;
        inner.Remove("@context");
        undo["object"] = inner;
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(undo, mallory)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{malloryId}/statuses", token)).Body.GetArrayLength() == 0, "the Undo of the boost");
        await AssertLocalPostUntouchedAsync(post, alice, token, "Vaccination centre");
    }

    [TestMethod]
    public async Task The_store_never_overwrites_another_status_with_a_remote_one_and_stores_the_same_note_once()
    {
        var store = Instance.Services.GetRequiredService<StatusStore>();
        var (_, token) = await Api.AccountAsync("storecollided");
        var post = await Api.PostAsync(token, "Stored first");
        var remote = new Status
        {
            Id = post,
            AccountId = RemoteAccountIds.For(Peer.BaseUrl + "/users/store" + ApiTestClient.Next()),
            Text = "",
            ContentHtml = "<p>taken over</p>",
            CreatedAt = SnowflakeIds.TimeOf(post),
            Uri = $"{Peer.BaseUrl}/notes/{ApiTestClient.Next()}",
        };

        var first = await store.AddRemoteAsync(remote, CancellationToken.None);
        var again = await store.AddRemoteAsync(remote, CancellationToken.None);

        Assert.IsNotNull(first);
        Assert.AreNotEqual(post, first.Id);
        Assert.AreEqual(SnowflakeIds.TimeOf(post), SnowflakeIds.TimeOf(first.Id));
        Assert.AreEqual(first.Id, again?.Id, "the same note twice is stored once");
        Assert.AreEqual(first.Id, await store.GetIdByUriAsync(remote.Uri, CancellationToken.None));
        Assert.AreEqual("Stored first", (await store.GetAsync(post, CancellationToken.None))!.Text);
    }

    [TestMethod]
    public async Task An_Update_older_than_the_stored_edit_is_refused()
    {
        var (alice, token) = await Api.AccountAsync("staleedit");
        var nora = Peer.AddActor("nora" + ApiTestClient.Next());
        await FollowAsync(alice, nora);
        var published = DateTimeOffset.UtcNow.AddMinutes(-30);
        var noteId = $"{nora.Id}/statuses/{ApiTestClient.Next()}";
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(nora, "Create", Note(noteId, nora, "<p>Version one</p>", published, null)), nora)).StatusCode);
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "nora's note");
        var statusId = home.Body[0].GetProperty("id").GetString();

        var newer = Note(noteId, nora, "<p>Version three</p>", published, null);
        newer["updated"] = published.AddMinutes(20).ToString("O", CultureInfo.InvariantCulture);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(nora, "Update", newer), nora)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{statusId}", token)).Body.GetProperty("content").GetString()!.Contains("three", StringComparison.Ordinal), "the newer edit");

        // Delivered late (or replayed): an edit made before the one stored.
        var older = Note(noteId, nora, "<p>Version two</p>", published, null);
        older["updated"] = published.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync(Activity(nora, "Update", older), nora)).StatusCode);
        await Api.WaitUntilQuietAsync();

        var status = (await GetAsync($"/api/v1/statuses/{statusId}", token)).Body;
        StringAssert.Contains(status.GetProperty("content").GetString(), "Version three");
        Assert.AreEqual(published.AddMinutes(20).ToUnixTimeSeconds(), DateTimeOffset.Parse(status.GetProperty("edited_at").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());
    }

    /// <summary>
    /// An object id under <paramref name="prefix"/> whose SHA-256 starts with the 16 sequence bits of <paramref name="statusId"/>,
    /// found by counting (about 65,536 hashes): what a hostile server does to aim at a local post.
    /// </summary>
    private static string CollidingId(string prefix, string statusId, string suffix = "")
    {
        var sequence = (ushort)(long.Parse(statusId, CultureInfo.InvariantCulture) & 0xFFFF);
        for (var n = 0; ; n++)
        {
            var candidate = prefix + n.ToString(CultureInfo.InvariantCulture) + suffix;
            if (BitConverter.ToUInt16(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), 0) == sequence)
            {
                return candidate;
            }
        }
    }

    private static async Task AssertLocalPostUntouchedAsync(string statusId, LocalAccount author, string token, string text)
    {
        var (status, body) = await GetAsync($"/api/v1/statuses/{statusId}", token);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual(author.Id, body.GetProperty("account").GetProperty("id").GetString(), "the post still belongs to its author");
        StringAssert.Contains(body.GetProperty("content").GetString(), text);
        Assert.AreEqual(JsonValueKind.Null, body.GetProperty("reblog").ValueKind);
        Assert.AreEqual($"{Instance.BaseUrl}/users/{author.Username}/statuses/{statusId}", body.GetProperty("uri").GetString());
    }

    private static JsonObject Note(string id, PeerActor author, string html, DateTimeOffset published, LocalAccount? mentioned)
    {
        var note = new JsonObject
        {
            ["id"] = id,
            ["type"] = "Note",
            ["attributedTo"] = author.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(author.Id + "/followers"),
            ["content"] = html,
            ["published"] = published.ToString("O", CultureInfo.InvariantCulture),
        };
        if (mentioned is not null)
        {
            var actor = $"{Instance.BaseUrl}/users/{mentioned.Username}";
            note["cc"]!.AsArray().Add(actor);
            note["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = actor, ["name"] = $"@{mentioned.Username}" });
        }

        return note;
    }

    private static JsonObject Activity(PeerActor actor, string type, JsonNode? target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}#{type.ToLowerInvariant()}/{ApiTestClient.Next()}",
        ["type"] = type,
        ["actor"] = actor.Id,
        ["object"] = target,
    };

    private static Task<HttpResponseMessage> PostSignedAsync(JsonObject activity, PeerActor signer) => Api.PostSignedAsync("/inbox", activity, signer);
}
