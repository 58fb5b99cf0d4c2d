using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Remote objects an inbound activity only names by id (fetched once, signed as the instance actor), remote boosts in home
/// timelines, remote attachments and emoji, and replies to stored remote statuses. Documents are shaped like Mastodon's,
/// GoToSocial's and Misskey's; a <see cref="FakePeer"/> serves them.
/// </summary>
[TestClass]
public sealed class RemoteObjectFederationTests : FederationTest<RemoteObjectFederationTests>
{
    [TestMethod]
    public async Task A_Create_naming_its_note_by_id_is_fetched_signed_retried_once_and_shown_with_media_and_emoji()
    {
        var (alice, token) = await AccountAsync("fetcher");
        var mona = Peer.AddActor("mona" + Next());
        await FollowAsync(alice, mona);
        var path = $"/users/{new Uri(mona.Id).Segments[^1]}/statuses/{Next()}";
        var noteId = Peer.BaseUrl + path;
        // Mastodon's shape: Document attachments with blurhash, focalPoint, width and height; an Emoji tag; a content warning.
        Peer.Serve(path, new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["blurhash"] = "toot:blurhash", ["focalPoint"] = new JsonObject { ["@container"] = "@list", ["@id"] = "toot:focalPoint" } }),
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = mona.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(mona.Id + "/followers"),
            ["summary"] = "Photos of the flood",
            ["sensitive"] = true,
            ["content"] = "<p>The river today :flood: #weather</p>",
            ["published"] = DateTimeOffset.UtcNow.ToString("O"),
            ["tag"] = new JsonArray(
                new JsonObject { ["type"] = "Hashtag", ["name"] = "#weather", ["href"] = Peer.BaseUrl + "/tags/weather" },
                new JsonObject { ["id"] = Peer.BaseUrl + "/emojis/1", ["type"] = "Emoji", ["name"] = ":flood:", ["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + "/emoji/flood.png" } }),
            ["attachment"] = new JsonArray(
                new JsonObject { ["type"] = "Document", ["mediaType"] = "image/jpeg", ["url"] = Peer.BaseUrl + "/media/river.jpg", ["name"] = "The river over its banks", ["blurhash"] = "LEHV6nWB2yk8pyo0adR*.7kCMdnj", ["focalPoint"] = new JsonArray(0.2, -0.5), ["width"] = 1600, ["height"] = 1200 },
                new JsonObject { ["type"] = "Document", ["mediaType"] = "video/mp4", ["url"] = "https://media.example.org/river.mp4", ["name"] = null, ["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/png", ["url"] = "https://media.example.org/river.png" } },
                new JsonObject { ["type"] = "Document", ["mediaType"] = "audio/mpeg", ["url"] = "https://media.example.org/river.mp3", ["name"] = "The sound of the river" },
                new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = "javascript:alert(1)" },
                new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = "ftp://media.example.org/x.png" }),
        }, 503);

        var create = Activity(mona, "Create", noteId);
        create["to"] = new JsonArray(Public);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, mona)).StatusCode);

        // The inbox's first retry after the 503 comes about 30 s later (RetryPolicy); polled in storage, not through the
        // API, whose rate limit (300 requests in 5 minutes) 100 ms polls would exceed.
        var statusStore = Instance.Services.GetRequiredService<ServerlessFedi.Statuses.StatusStore>();
        await Eventually.ValueAsync(() => statusStore.GetIdByUriAsync(noteId, CancellationToken.None), id => id is not null, "the fetched note stored", TimeSpan.FromSeconds(90));
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "the fetched note in home");
        var status = home.Body[0];
        Assert.AreEqual(noteId, status.GetProperty("uri").GetString());
        Assert.IsTrue(status.GetProperty("sensitive").GetBoolean());
        Assert.AreEqual("Photos of the flood", status.GetProperty("spoiler_text").GetString());
        var media = status.GetProperty("media_attachments");
        Assert.AreEqual(3, media.GetArrayLength(), "javascript: and ftp: URLs are dropped");
        var image = media[0];
        Assert.AreEqual("image", image.GetProperty("type").GetString());
        // Served through this instance (Fedi__ProxyRemoteMedia, on by default); remote_url stays the remote file.
        var proxied = $"{Instance.BaseUrl}/media-proxy/statuses/{status.GetProperty("id").GetString()}/";
        Assert.AreEqual(proxied + InstanceUrls.RemoteMediaHash(Peer.BaseUrl + "/media/river.jpg"), image.GetProperty("url").GetString());
        Assert.AreEqual(Peer.BaseUrl + "/media/river.jpg", image.GetProperty("remote_url").GetString());
        Assert.AreEqual(proxied + InstanceUrls.RemoteMediaHash(Peer.BaseUrl + "/media/river.jpg"), image.GetProperty("preview_url").GetString());
        Assert.AreEqual("The river over its banks", image.GetProperty("description").GetString());
        Assert.AreEqual("LEHV6nWB2yk8pyo0adR*.7kCMdnj", image.GetProperty("blurhash").GetString());
        Assert.AreEqual(1600, image.GetProperty("meta").GetProperty("original").GetProperty("width").GetInt32());
        Assert.AreEqual(1200, image.GetProperty("meta").GetProperty("original").GetProperty("height").GetInt32());
        Assert.AreEqual(0.2, image.GetProperty("meta").GetProperty("focus").GetProperty("x").GetDouble(), 1e-9);
        Assert.AreEqual(-0.5, image.GetProperty("meta").GetProperty("focus").GetProperty("y").GetDouble(), 1e-9);
        var video = media[1];
        Assert.AreEqual("video", video.GetProperty("type").GetString());
        Assert.AreEqual(JsonValueKind.Null, video.GetProperty("description").ValueKind);
        Assert.IsFalse(video.GetProperty("meta").TryGetProperty("original", out _), "no size given, none invented");
        Assert.AreNotEqual(image.GetProperty("id").GetString(), video.GetProperty("id").GetString());
        Assert.AreEqual(proxied + InstanceUrls.RemoteMediaHash("https://media.example.org/river.png"), video.GetProperty("preview_url").GetString(), "the Document's icon is the preview");
        var audio = media[2];
        Assert.AreEqual("audio", audio.GetProperty("type").GetString());
        Assert.AreEqual(proxied + InstanceUrls.RemoteMediaHash("https://media.example.org/river.mp3"), audio.GetProperty("url").GetString());
        Assert.AreEqual(JsonValueKind.Null, audio.GetProperty("preview_url").ValueKind, "a sound file is no preview image");
        var emoji = status.GetProperty("emojis").EnumerateArray().Single();
        Assert.AreEqual("flood", emoji.GetProperty("shortcode").GetString());
        Assert.AreEqual(proxied + InstanceUrls.RemoteMediaHash(Peer.BaseUrl + "/emoji/flood.png"), emoji.GetProperty("url").GetString());
        Assert.IsFalse(emoji.GetProperty("visible_in_picker").GetBoolean());
        Assert.IsTrue((await GetAsync("/api/v1/timelines/tag/weather", null)).Body.EnumerateArray().Any(s => s.GetProperty("uri").GetString() == noteId));

        // The first GET answered 503 (retried through the queue); each was signed by the instance actor.
        var gets = Peer.GetsOf(path);
        Assert.AreEqual(2, gets.Count);
        StringAssert.Contains(gets[0].Headers["signature"], $"keyId=\"{Instance.BaseUrl}/actor#main-key\"");
        var onlyMedia = await GetAsync("/api/v1/timelines/home?only_media=true", token);
        Assert.AreEqual(1, onlyMedia.Body.GetArrayLength());
    }

    [TestMethod]
    public async Task A_Create_whose_fetched_note_is_gone_forged_or_by_someone_else_is_dropped_without_retry()
    {
        var (alice, token) = await AccountAsync("skeptic");
        var nina = Peer.AddActor("nina" + Next());
        var oscar = Peer.AddActor("oscar" + Next());
        await FollowAsync(alice, nina);
        var name = new Uri(nina.Id).Segments[^1];
        var gone = $"/users/{name}/statuses/{Next()}";
        var forged = $"/users/{name}/statuses/{Next()}";
        var foreign = $"/users/{name}/statuses/{Next()}";
        Peer.Serve(gone, null, 410);
        Peer.Serve(forged, Note(Peer.BaseUrl + $"/users/{name}/statuses/other", nina.Id, "forged id"));
        Peer.Serve(foreign, Note(Peer.BaseUrl + foreign, oscar.Id, "attributed to oscar, sent by nina"));

        foreach (var path in new[] { gone, forged, foreign })
        {
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(nina, "Create", Peer.BaseUrl + path), nina)).StatusCode);
        }

        // A note on another server is not fetched for a Create at all.
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(nina, "Create", $"http://localhost:{Peer.Port}{gone}"), nina)).StatusCode);

        await WaitUntilQuietAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Peer.GetsOf(foreign).Count > 0), "the last fetch");
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, (await GetAsync("/api/v1/timelines/home", token)).Body.GetArrayLength());
        Assert.AreEqual(1, Peer.GetsOf(gone).Count, "410 is not retried, and the other origin's URL was not fetched");
        Assert.AreEqual(1, Peer.GetsOf(forged).Count, "a document with another id is not retried");
    }

    [TestMethod]
    public async Task A_followed_actor_boosting_a_remote_note_puts_a_reblog_in_home_once_and_Undo_takes_it_back()
    {
        var (alice, token) = await AccountAsync("boostreader");
        var booster = Peer.AddActor("paul" + Next());
        var author = Peer.AddActor("quinn" + Next());
        await FollowAsync(alice, booster);
        var path = $"/users/{new Uri(author.Id).Segments[^1]}/statuses/01HXYZ{Next()}";
        var noteId = Peer.BaseUrl + path;
        // GoToSocial's shape: attributedTo, a Document with a Link-less url, no sensitive flag, both to and cc.
        var note = Note(noteId, author.Id, "<p>Public consultation opens today</p>");
        note["attachment"] = new JsonArray(new JsonObject { ["type"] = "Image", ["mediaType"] = "image/webp", ["url"] = Peer.BaseUrl + "/fileserver/a.webp", ["name"] = "Poster", ["blurhash"] = "LKO2?U%2Tw=w]~RBVZRi};RPxuwH" });
        Peer.Serve(path, note);

        var announce = Activity(booster, "Announce", noteId);
        announce["to"] = new JsonArray(Public);
        announce["cc"] = new JsonArray(booster.Id + "/followers", author.Id);
        announce["published"] = DateTimeOffset.UtcNow.ToString("O");
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", announce, booster)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", announce, booster)).StatusCode);

        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "the boost in home");
        await WaitUntilQuietAsync();
        home = await GetAsync("/api/v1/timelines/home", token);
        Assert.AreEqual(1, home.Body.GetArrayLength(), "the repeated Announce has effect once");
        var boost = home.Body[0];
        Assert.AreEqual((string?)announce["id"], boost.GetProperty("uri").GetString());
        Assert.AreEqual(booster.Id, (await GetAsync($"/api/v1/accounts/{boost.GetProperty("account").GetProperty("id").GetString()}", token)).Body.GetProperty("uri").GetString());
        Assert.AreEqual("", boost.GetProperty("content").GetString());
        var original = boost.GetProperty("reblog");
        Assert.AreEqual(noteId, original.GetProperty("uri").GetString());
        Assert.AreEqual(RemoteAccountIds.For(author.Id), original.GetProperty("account").GetProperty("id").GetString());
        Assert.AreEqual("image", original.GetProperty("media_attachments")[0].GetProperty("type").GetString());
        Assert.AreEqual(1, original.GetProperty("reblogs_count").GetInt32());
        Assert.AreEqual(1, Peer.GetsOf(path).Count, "the note is fetched once");

        // The boosted note is a status of its own; the boost is readable by its id.
        Assert.AreEqual(noteId, (await GetAsync($"/api/v1/statuses/{original.GetProperty("id").GetString()}", token)).Body.GetProperty("uri").GetString());
        Assert.AreEqual(noteId, (await GetAsync($"/api/v1/statuses/{boost.GetProperty("id").GetString()}", token)).Body.GetProperty("reblog").GetProperty("uri").GetString());

        // The booster's profile lists the boost unless exclude_reblogs; acting on the boost acts on the boosted note.
        var boosterId = RemoteAccountIds.For(booster.Id);
        Assert.AreEqual(1, (await GetAsync($"/api/v1/accounts/{boosterId}/statuses", token)).Body.GetArrayLength());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{boosterId}/statuses?exclude_reblogs=true", token)).Body.GetArrayLength());
        var favourited = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{boost.GetProperty("id").GetString()}/favourite", token);
        Assert.AreEqual(HttpStatusCode.OK, favourited.Status);
        Assert.AreEqual(original.GetProperty("id").GetString(), favourited.Body.GetProperty("id").GetString());
        Assert.IsTrue(favourited.Body.GetProperty("favourited").GetBoolean());

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Undo(booster, announce), booster)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync("/api/v1/timelines/home", token)).Body.GetArrayLength() == 0, "the Undo removing the boost");

        // The boost is marked deleted (and so gone from home) before the boosted note is uncounted (RemoteBoosts.UndoAsync):
        // only the drained queue says the Undo is wholly applied.
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{original.GetProperty("id").GetString()}", token)).Body.GetProperty("reblogs_count").GetInt32());
    }

    [TestMethod]
    public async Task A_follow_with_reblogs_false_keeps_that_actors_boosts_out_of_home()
    {
        var (alice, aliceToken) = await AccountAsync("hidesboosts");
        var (carol, carolToken) = await AccountAsync("showsboosts");
        var booster = Peer.AddActor("sam" + Next());
        var boosterId = RemoteAccountIds.For(booster.Id);
        await FollowAsync(alice, booster);
        await FollowAsync(carol, booster);
        // Known here through a first signed activity, as an app finds the account before following it.
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(booster, "Like", $"{Instance.BaseUrl}/users/nobody/statuses/1"), booster)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{boosterId}", aliceToken)).Status == HttpStatusCode.OK, "sam becoming known");

        using (var hide = new StringContent("{\"reblogs\":false}", Encoding.UTF8, "application/json"))
        {
            var rel = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{boosterId}/follow", aliceToken, hide);
            Assert.AreEqual(HttpStatusCode.OK, rel.Status, rel.Body.ToString());
            Assert.IsTrue(rel.Body.GetProperty("following").GetBoolean());
            Assert.IsFalse(rel.Body.GetProperty("showing_reblogs").GetBoolean());
        }

        Assert.IsTrue((await GetAsync($"/api/v1/accounts/relationships?id[]={boosterId}", carolToken)).Body[0].GetProperty("showing_reblogs").GetBoolean());
        var (dave, daveToken) = await AccountAsync("boostedauthor");
        var post = await PostAsync(daveToken, "A post to boost");
        var announce = Activity(booster, "Announce", $"{Instance.BaseUrl}/users/{dave.Username}/statuses/{post}");
        announce["to"] = new JsonArray(Public);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", announce, booster)).StatusCode);
        await WaitUntilQuietAsync();

        static bool HasBoost(JsonElement home, string post) => home.EnumerateArray().Any(s => s.TryGetProperty("reblog", out var r) && r.ValueKind == JsonValueKind.Object && r.GetProperty("id").GetString() == post);
        await Eventually.TrueAsync(async () => HasBoost((await GetAsync("/api/v1/timelines/home", carolToken)).Body, post), "the boost in carol's home");
        Assert.IsFalse(HasBoost((await GetAsync("/api/v1/timelines/home", aliceToken)).Body, post), "alice hid sam's boosts");

        using var show = new StringContent("{\"reblogs\":true}", Encoding.UTF8, "application/json");
        var shown = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{boosterId}/follow", aliceToken, show);
        Assert.IsTrue(shown.Body.GetProperty("showing_reblogs").GetBoolean());
    }

    [TestMethod]
    public async Task A_followed_actor_boosting_a_local_post_reaches_home_and_still_counts_and_notifies()
    {
        var (alice, token) = await AccountAsync("localreader");
        var (bob, bobToken) = await AccountAsync("localauthor");
        var post = await PostAsync(bobToken, "Our new opening hours");
        var rita = Peer.AddActor("rita" + Next());
        await FollowAsync(alice, rita);

        var announce = Activity(rita, "Announce", $"{Instance.BaseUrl}/users/{bob.Username}/statuses/{post}");
        announce["to"] = new JsonArray(Public);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", announce, rita)).StatusCode);

        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "the boost of bob's post in alice's home");
        Assert.AreEqual(post, home.Body[0].GetProperty("reblog").GetProperty("id").GetString());
        Assert.AreEqual(bob.Id, home.Body[0].GetProperty("reblog").GetProperty("account").GetProperty("id").GetString());
        var notification = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications", bobToken), n => n.Body.GetArrayLength() > 0, "bob's reblog notification");
        Assert.AreEqual("reblog", notification.Body[0].GetProperty("type").GetString());
        Assert.AreEqual(1, (await GetAsync($"/api/v1/statuses/{post}", bobToken)).Body.GetProperty("reblogs_count").GetInt32());
        Assert.IsFalse((await GetAsync("/api/v1/timelines/home", bobToken)).Body.EnumerateArray().Any(s => s.GetProperty("reblog").ValueKind != JsonValueKind.Null), "bob does not follow rita");
    }

    [TestMethod]
    public async Task Replies_to_a_stored_remote_status_count_and_show_in_its_context()
    {
        var (alice, token) = await AccountAsync("threadreader");
        var sam = Peer.AddActor("sam" + Next());
        var misskey = Peer.AddActor("tara" + Next());
        await FollowAsync(alice, sam);
        var parentId = $"{sam.Id}/statuses/{Next()}";
        var create = Activity(sam, "Create", null);
        create["object"] = Note(parentId, sam.Id, "<p>Questions about the new permit rules?</p>");
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, sam)).StatusCode);
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "sam's post");
        var parent = home.Body[0].GetProperty("id").GetString();

        // Misskey's shape: a reply from an actor nobody here follows, with _misskey_content and a Document attachment.
        var reply = Note($"{Peer.BaseUrl}/notes/9x{Next()}", misskey.Id, "<p>Yes: do they apply to sheds?</p>");
        reply["inReplyTo"] = parentId;
        reply["_misskey_content"] = "Yes: do they apply to sheds?";
        reply["attachment"] = new JsonArray(new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + "/files/shed.png", ["name"] = null, ["sensitive"] = false });
        var replyCreate = Activity(misskey, "Create", null);
        replyCreate["object"] = reply;
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", replyCreate, misskey)).StatusCode);

        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{parent}", token)).Body.GetProperty("replies_count").GetInt32() == 1, "the reply counted");
        var context = await GetAsync($"/api/v1/statuses/{parent}/context", token);
        var descendant = context.Body.GetProperty("descendants").EnumerateArray().Single();
        Assert.AreEqual((string?)reply["id"], descendant.GetProperty("uri").GetString());
        Assert.AreEqual(parent, descendant.GetProperty("in_reply_to_id").GetString());
        Assert.AreEqual(1, descendant.GetProperty("media_attachments").GetArrayLength());
        Assert.AreEqual(1, (await GetAsync("/api/v1/timelines/home", token)).Body.GetArrayLength(), "the stranger's reply is not in home");
    }
}
