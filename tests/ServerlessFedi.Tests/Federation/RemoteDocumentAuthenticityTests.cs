using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// A fetched actor, key or object document is trusted only as its own origin serves it (issue 11, finding 2; the class of
/// Mastodon's CVE-2024-23832): an ActivityPub media type, the origin judged on the URL after redirects, and a document
/// whose id is not the URL fetched refetched from that id. A server where anyone can upload a file (or one with an open
/// redirect) cannot be used to speak for its own actors. Real shapes keep working: keyIds with a fragment and keys served
/// as documents of their own (GoToSocial).
/// </summary>
[TestClass]
public sealed class RemoteDocumentAuthenticityTests
{
    private static TestInstance _instance = null!;
    private static FakePeer _peer = null!;
    private static FakePeer _other = null!;

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _peer = await FakePeer.StartAsync();
        _other = await FakePeer.StartAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _peer.DisposeAsync();
        await _other.DisposeAsync();
    }

    [TestCleanup]
    public async Task LeaveTheQueuesEmpty() => await Api.WaitUntilQuietAsync();

    [TestMethod]
    public async Task An_uploaded_document_claiming_to_be_an_actor_of_its_server_does_not_lend_it_a_key()
    {
        var alice = await _instance.CreateAccountAsync("upload_target");
        var victim = _peer.AddActor("victim" + ApiTestClient.Next());
        var forger = _peer.AddActor("forger" + ApiTestClient.Next());
        var upload = $"/media/{ApiTestClient.Next()}.json";

        // Served by the victim's own server, with an ActivityPub media type, but at a URL that is not the actor's id.
        var forged = _peer.DocumentOf(Name(victim));
        forged["publicKey"] = new JsonObject { ["id"] = _peer.BaseUrl + upload + "#main-key", ["owner"] = victim.Id, ["publicKeyPem"] = forger.PublicKeyPem };
        _peer.Serve(upload, forged);
        var impostor = victim with { KeyId = _peer.BaseUrl + upload + "#main-key", PrivateKeyPem = forger.PrivateKeyPem };

        var response = await Api.PostSignedAsync($"/users/{alice.Username}/inbox", Follow(victim, alice), impostor);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual(1, _peer.GetsOf(victim.Id[_peer.BaseUrl.Length..]).Count, "the document's own id was fetched to check it");

        // The genuine actor (and the cache) are unharmed: its own signature still works.
        await Api.FollowAsync(victim, alice);
    }

    [TestMethod]
    [DataRow("application/json")]
    [DataRow("text/plain; charset=utf-8")]
    [DataRow("image/png")]
    [DataRow("application/ld+json")]
    [DataRow("application/ld+json; profile=\"https://example.org/other\"")]
    [DataRow("")]
    public async Task An_actor_document_served_without_an_ActivityPub_media_type_is_refused(string contentType)
    {
        var alice = await _instance.CreateAccountAsync("ctype" + ApiTestClient.Next());
        var forger = _peer.AddActor("forger" + ApiTestClient.Next());
        var upload = $"/media/{ApiTestClient.Next()}.json";
        var impostor = UploadedActor(_peer, upload, forger);
        _peer.ServeRaw(upload, contentType.Length == 0 ? null : contentType, ActorJson(_peer, upload, forger));

        var response = await Api.PostSignedAsync($"/users/{alice.Username}/inbox", Follow(impostor, alice), impostor);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, $"{contentType}: {await response.Content.ReadAsStringAsync()}");
        Assert.AreEqual(0, await FollowersCountAsync(alice));
    }

    [TestMethod]
    [DataRow("application/activity+json")]
    [DataRow("Application/Activity+JSON; charset=UTF-8")]
    [DataRow("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")]
    [DataRow("application/ld+json;profile=\"https://www.w3.org/ns/activitystreams https://example.org/ext\";charset=utf-8")]
    public async Task An_actor_document_served_with_an_ActivityPub_media_type_is_read(string contentType)
    {
        var alice = await _instance.CreateAccountAsync("ctype" + ApiTestClient.Next());
        var owner = _peer.AddActor("owner" + ApiTestClient.Next());
        var path = $"/people/{ApiTestClient.Next()}";
        var actor = UploadedActor(_peer, path, owner);
        _peer.ServeRaw(path, contentType, ActorJson(_peer, path, owner));

        var response = await Api.PostSignedAsync($"/users/{alice.Username}/inbox", Follow(actor, alice), actor);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, $"{contentType}: {await response.Content.ReadAsStringAsync()}");
        await Eventually.TrueAsync(async () => await FollowersCountAsync(alice) == 1, "the follow being recorded");
    }

    [TestMethod]
    [DataRow("application/activity+json", true)]
    [DataRow("application/activity+json; charset=utf-8", true)]
    [DataRow("APPLICATION/ACTIVITY+JSON", true)]
    [DataRow("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"", true)]
    [DataRow("application/ld+json; charset=utf-8; PROFILE=\"https://www.w3.org/ns/activitystreams\"", true)]
    [DataRow("application/ld+json; profile=https://www.w3.org/ns/activitystreams", false)] // a URI parameter value must be quoted (RFC 9110 §5.6.6)
    [DataRow("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams#\"", false)]
    [DataRow("application/ld+json; profile=\"http://www.w3.org/ns/activitystreams\"", false)]
    [DataRow("application/ld+json", false)]
    [DataRow("application/json", false)]
    [DataRow("application/activity+json-seq", false)]
    [DataRow("text/html", false)]
    [DataRow("", false)]
    [DataRow(null, false)]
    [DataRow("not a media type", false)]
    public void ActivityPub_media_types_are_recognised_with_their_parameters(string? contentType, bool expected) =>
        Assert.AreEqual(expected, ContentNegotiation.IsActivityStreamsMediaType(contentType), contentType);

    [TestMethod]
    public async Task An_actor_that_reaches_us_through_a_redirect_to_another_origin_is_refused()
    {
        var alice = await _instance.CreateAccountAsync("redirect_target");
        var forger = _other.AddActor("forger" + ApiTestClient.Next());

        // An open redirect on the first server leads to a document the second serves under the first one's URL.
        var path = $"/go/{ApiTestClient.Next()}";
        _peer.Redirect(path, _other.BaseUrl + "/forged" + path);
        var impostor = UploadedActor(_peer, path, forger);
        _other.ServeRaw("/forged" + path, "application/activity+json", ActorJson(_peer, path, forger));

        var response = await Api.PostSignedAsync($"/users/{alice.Username}/inbox", Follow(impostor, alice), impostor);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual(1, _other.GetsOf("/forged" + path).Count, "the redirect was followed, and its target judged by its own origin");
    }

    [TestMethod]
    public async Task A_key_served_as_a_document_of_its_own_keeps_working()
    {
        var alice = await _instance.CreateAccountAsync("gts_target");
        var gts = _peer.AddActor("gts" + ApiTestClient.Next());
        var keyPath = $"/users/{Name(gts)}/main-key";
        var doc = _peer.DocumentOf(Name(gts));
        doc["publicKey"] = new JsonObject { ["id"] = _peer.BaseUrl + keyPath, ["owner"] = gts.Id, ["publicKeyPem"] = gts.PublicKeyPem };
        _peer.Serve($"/users/{Name(gts)}", doc);
        _peer.Serve(keyPath, new JsonObject
        {
            ["@context"] = new JsonArray("https://w3id.org/security/v1"),
            ["id"] = _peer.BaseUrl + keyPath,
            ["owner"] = gts.Id,
            ["publicKeyPem"] = gts.PublicKeyPem,
        });

        await Api.FollowAsync(gts with { KeyId = _peer.BaseUrl + keyPath }, alice);
    }

    [TestMethod]
    public async Task A_note_fetched_by_reference_without_an_ActivityPub_media_type_is_not_stored()
    {
        var (alice, token) = await Api.AccountAsync("byref_reader");
        var nina = _peer.AddActor("nina" + ApiTestClient.Next());
        await _instance.Services.GetRequiredService<FollowingStore>().AddAsync(alice.Id, nina.Id, RemoteAccountIds.For(nina.Id), $"{_instance.BaseUrl}/follows/{ApiTestClient.Next()}", accepted: true, CancellationToken.None);
        var plain = $"/users/{Name(nina)}/statuses/{ApiTestClient.Next()}";
        var proper = $"/users/{Name(nina)}/statuses/{ApiTestClient.Next()}";
        _peer.ServeRaw(plain, "text/plain", Note(_peer.BaseUrl + plain, nina, "uploaded, not published").ToJsonString());
        _peer.ServeRaw(proper, "application/activity+json", Note(_peer.BaseUrl + proper, nina, "published").ToJsonString());

        foreach (var path in new[] { plain, proper })
        {
            var create = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{nina.Id}#create/{ApiTestClient.Next()}", ["type"] = "Create", ["actor"] = nina.Id, ["object"] = _peer.BaseUrl + path };
            Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", create, nina)).StatusCode);
        }

        var home = await Eventually.ValueAsync(() => Api.SendAsync(HttpMethod.Get, "/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "the published note");
        await Api.WaitUntilQuietAsync();
        home = await Api.SendAsync(HttpMethod.Get, "/api/v1/timelines/home", token);
        Assert.AreEqual(1, home.Body.GetArrayLength());
        Assert.AreEqual(_peer.BaseUrl + proper, home.Body[0].GetProperty("uri").GetString());
    }

    [TestMethod]
    public async Task A_Move_whose_target_document_is_not_served_as_ActivityPub_moves_nobody()
    {
        var (alice, token) = await Api.AccountAsync("move_reader");
        var old = _peer.AddActor("old" + ApiTestClient.Next());
        var target = _peer.AddActor("new" + ApiTestClient.Next());
        await _instance.Services.GetRequiredService<FollowingStore>().AddAsync(alice.Id, old.Id, RemoteAccountIds.For(old.Id), $"{_instance.BaseUrl}/follows/{ApiTestClient.Next()}", accepted: true, CancellationToken.None);
        var doc = _peer.DocumentOf(Name(target));
        doc["alsoKnownAs"] = new JsonArray(old.Id);
        _peer.ServeRaw($"/users/{Name(target)}", "application/json", doc.ToJsonString());

        var move = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{old.Id}#move/{ApiTestClient.Next()}", ["type"] = "Move", ["actor"] = old.Id, ["object"] = old.Id, ["target"] = target.Id };
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", move, old)).StatusCode);
        await Api.WaitUntilQuietAsync();

        Assert.AreEqual(0, _peer.PostsTo(target.InboxPath).Count + _peer.PostsTo("/inbox").Count(p => p.BodyText.Contains(target.Id, StringComparison.Ordinal)), "no Follow was sent to the target");
        var relationship = await Api.SendAsync(HttpMethod.Get, $"/api/v1/accounts/relationships?id[]={RemoteAccountIds.For(old.Id)}", token);
        Assert.IsTrue(relationship.Body[0].GetProperty("following").GetBoolean(), "alice still follows the old account");
    }

    /// <summary>An actor whose id is <paramref name="path"/> on <paramref name="server"/>, signing with <paramref name="keys"/>'s key pair.</summary>
    private static PeerActor UploadedActor(FakePeer server, string path, PeerActor keys) =>
        keys with { Id = server.BaseUrl + path, KeyId = server.BaseUrl + path + "#main-key", Inbox = server.BaseUrl + path + "/inbox" };

    private static string ActorJson(FakePeer server, string path, PeerActor keys) => new JsonObject
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = server.BaseUrl + path,
        ["type"] = "Person",
        ["preferredUsername"] = "impostor",
        ["inbox"] = server.BaseUrl + path + "/inbox",
        ["publicKey"] = new JsonObject { ["id"] = server.BaseUrl + path + "#main-key", ["owner"] = server.BaseUrl + path, ["publicKeyPem"] = keys.PublicKeyPem },
    }.ToJsonString();

    private static JsonObject Note(string id, PeerActor author, string text) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "Note",
        ["attributedTo"] = author.Id,
        ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        ["content"] = $"<p>{text}</p>",
        ["published"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
    };

    private static JsonObject Follow(PeerActor follower, LocalAccount account) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{follower.Id}#follows/{ApiTestClient.Next()}",
        ["type"] = "Follow",
        ["actor"] = follower.Id,
        ["object"] = $"{_instance.BaseUrl}/users/{account.Username}",
    };

    private static string Name(PeerActor actor) => new Uri(actor.Id).Segments[^1];

    private static async Task<int> FollowersCountAsync(LocalAccount account) =>
        (await Api.SendAsync(HttpMethod.Get, $"/api/v1/accounts/{account.Id}", null)).Body.GetProperty("followers_count").GetInt32();
}
