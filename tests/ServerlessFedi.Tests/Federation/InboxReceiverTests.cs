using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Personal and shared inboxes of the running standalone host over real HTTP, with its own queue listeners applying what
/// arrives. The remote side is a <see cref="FakePeer"/> on loopback whose actors sign with the product's draft-cavage signer;
/// what the instance sends back is checked with the product's verifier, as a remote server would.
/// </summary>
[TestClass]
public sealed class InboxReceiverTests : FederationTest<InboxReceiverTests>
{
    private const string ActivityJson = "application/activity+json";
    private static readonly HttpSignatureSigner Signer = new();

    /// <summary>The account that refused requests are addressed to; none of them may change it.</summary>
    private const string Target = "target";

    [TestInitialize]
    public async Task CreateTheTargetOnce()
    {
        if (await Instance.Accounts.GetByUsernameAsync(Target) is null)
        {
            await Instance.CreateAccountAsync(Target);
        }
    }

    [TestCleanup]
    public async Task LeaveTheQueuesEmpty() => await WaitUntilQuietAsync();

    [TestMethod]
    public async Task A_signed_Follow_makes_a_follower_and_is_answered_with_a_signed_Accept()
    {
        await Instance.CreateAccountAsync("alice");
        var bob = Peer.AddActor("bob");
        var follow = Follow(bob, "alice", "1");

        var response = await PostSignedAsync("/users/alice/inbox", follow, bob);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("alice") == 1, "alice's followers reaching 1");
        await WaitUntilQuietAsync();
        CollectionAssert.AreEqual(new[] { bob.Id }, await FollowersPageAsync("alice"));

        var accept = Peer.PostsTo(bob.InboxPath).Single();
        var keyId = $"{Instance.BaseUrl}/users/alice#main-key";
        StringAssert.Contains(accept.Header("signature"), $"keyId=\"{keyId}\"");
        StringAssert.Contains(accept.Header("signature"), "headers=\"(request-target) host date digest\"");
        Assert.AreEqual("SHA-256=" + Convert.ToBase64String(SHA256.HashData(accept.Body)), accept.Header("digest"));
        var verification = await new HttpSignatureVerifier(new StaticKeyResolver(await PublishedKeyAsync("alice")), TimeProvider.System)
            .VerifyAsync(accept.ToSignatureRequest(Peer.Authority), CancellationToken.None);
        var verified = verification as SignatureVerification.Verified;
        Assert.IsNotNull(verified, verification.ToString());
        Assert.AreEqual(keyId, verified.Key.KeyId);

        var activity = JsonNode.Parse(accept.BodyText)!;
        Assert.AreEqual("Accept", (string?)activity["type"]);
        Assert.AreEqual($"{Instance.BaseUrl}/users/alice", (string?)activity["actor"]);
        Assert.AreEqual((string?)follow["id"], (string?)activity["object"]!["id"]);
        Assert.AreEqual(bob.Id, (string?)activity["object"]!["actor"]);
        StringAssert.StartsWith(accept.Header("content-type"), ActivityJson);
    }

    [TestMethod]
    public async Task An_unsigned_activity_is_refused_with_401_and_a_JSON_error()
    {
        var ulf = Peer.AddActor("ulf");

        var response = await PostAsync($"/users/{Target}/inbox", Encoding.UTF8.GetBytes(Follow(ulf, Target, "1").ToJsonString()));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        StringAssert.Contains(error!.ToLowerInvariant(), "signature");
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_signed_activity_whose_body_was_altered_is_refused_with_401()
    {
        var tom = Peer.AddActor("tom");
        var body = Encoding.UTF8.GetBytes(Follow(tom, Target, "1").ToJsonString());
        using var request = Request($"/users/{Target}/inbox", body);
        Signer.Sign(request, body, new SigningKey(tom.KeyId, tom.PrivateKeyPem), DateTimeOffset.UtcNow);
        var altered = Encoding.UTF8.GetBytes(Follow(tom, Target, "2").ToJsonString());
        request.Content = Content(altered);

        var response = await Instance.Http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_body_that_is_not_JSON_is_refused_with_400()
    {

        var response = await PostAsync($"/users/{Target}/inbox", "{\"type\":\"Follow\","u8.ToArray());

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_body_over_1_MiB_is_refused_with_413()
    {
        var body = new byte[InboxReceiver.MaxBodyBytes + 1];
        body.AsSpan().Fill((byte)' ');

        var declared = await PostAsync($"/users/{Target}/inbox", body);
        using var chunked = Request("/inbox", body);
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content = new StreamContent(new NonSeekableStream(body));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityJson);
        var streamed = await Instance.Http.SendAsync(chunked);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode, "with Content-Length");
        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode, "chunked, without Content-Length");
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task The_inbox_of_an_unknown_account_answers_404()
    {
        var nora = Peer.AddActor("nora");

        var response = await PostSignedAsync("/users/nobody_here/inbox", Follow(nora, "nobody_here", "1"), nora);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task An_activity_whose_id_is_on_another_host_than_its_actor_is_refused_with_400()
    {
        var otto = Peer.AddActor("otto");
        var follow = Follow(otto, Target, "1");
        follow["id"] = "https://elsewhere.example/activities/1";

        var response = await PostSignedAsync($"/users/{Target}/inbox", follow, otto);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task An_activity_signed_with_another_actors_key_is_refused_with_401()
    {
        var bob = Peer.AddActor("bob_signer");
        var carol = Peer.AddActor("carol");

        var response = await PostSignedAsync($"/users/{Target}/inbox", Follow(carol, Target, "1"), signer: bob);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.AreEqual("the signing key does not belong to the activity's actor", error);
        await AssertNothingQueuedAsync();
        Assert.AreEqual(0, await FollowersCountAsync(Target));
    }

    [TestMethod]
    public async Task The_same_activity_posted_twice_is_accepted_twice_but_applied_once()
    {
        await Instance.CreateAccountAsync("dup_dana");
        var dirk = Peer.AddActor("dirk");
        var follow = Follow(dirk, "dup_dana", "1");

        var first = await PostSignedAsync("/users/dup_dana/inbox", follow, dirk);
        var second = await PostSignedAsync("/inbox", follow, dirk);

        Assert.AreEqual(HttpStatusCode.Accepted, first.StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, second.StatusCode);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("dup_dana") == 1, "dup_dana's followers reaching 1");
        await WaitUntilQuietAsync();
        Assert.AreEqual(1, await FollowersCountAsync("dup_dana"));
        Assert.HasCount(1, Peer.PostsTo(dirk.InboxPath), "one Accept");
    }

    [TestMethod]
    public async Task Undo_of_a_Follow_removes_the_follower()
    {
        await Instance.CreateAccountAsync("undo_uli");
        var ugo = Peer.AddActor("ugo");
        var follow = Follow(ugo, "undo_uli", "1");
        await PostSignedAsync("/users/undo_uli/inbox", follow, ugo);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("undo_uli") == 1, "undo_uli's followers reaching 1");

        var response = await PostSignedAsync("/users/undo_uli/inbox", Undo(ugo, follow), ugo);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("undo_uli") == 0, "undo_uli's followers returning to 0");
        await WaitUntilQuietAsync();
        Assert.IsEmpty(await FollowersPageAsync("undo_uli"));
    }

    [TestMethod]
    public async Task A_Follow_of_a_locked_account_becomes_a_follow_request_without_Accept()
    {
        var locked = await Instance.Accounts.CreateAsync(new NewAccount("locked_lu", "Correct-Horse-42-battery", "Lu", Locked: true));
        Assert.IsTrue(locked.Succeeded, string.Join("; ", locked.Errors));
        var leo = Peer.AddActor("leo");

        var response = await PostSignedAsync("/users/locked_lu/inbox", Follow(leo, "locked_lu", "1"), leo);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        var notifications = Instance.Services.GetRequiredService<NotificationStore>();
        var requests = await Eventually.ValueAsync(
            () => notifications.ListAsync(locked.Account!.Id, 10, CancellationToken.None),
            list => list.Count > 0,
            "a follow request notification");
        await WaitUntilQuietAsync();
        Assert.AreEqual((NotificationType.FollowRequest, leo.Id), (requests.Single().Type, requests.Single().FromActorId));
        Assert.AreEqual(0, await FollowersCountAsync("locked_lu"));
        Assert.IsEmpty(Peer.PostsTo(leo.InboxPath), "no Accept before the account approves");
    }

    [TestMethod]
    public async Task A_Delete_of_an_unknown_actor_whose_document_is_gone_is_accepted_without_effect()
    {
        // The key of an actor we never cached cannot be fetched once its server answers 410: Mastodon-style servers would retry
        // such a Delete for days if it were refused, so it is acknowledged and dropped. (A cached key still verifies, and then the
        // Delete is applied: see the next test.)
        var ghost = Peer.AddActor("ghost");
        Peer.MarkGone("ghost");

        var response = await PostSignedAsync("/inbox", Delete(ghost), ghost);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        Assert.HasCount(1, Peer.GetsOf("/users/ghost"), "the key was looked up once");
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task Other_activities_signed_with_a_key_that_cannot_be_fetched_are_refused()
    {
        var phantom = Peer.AddActor("phantom");
        Peer.MarkGone("phantom");
        var deleteOfANote = Delete(phantom);
        deleteOfANote["object"] = phantom.Id + "/statuses/1";

        var follow = await PostSignedAsync($"/users/{Target}/inbox", Follow(phantom, Target, "1"), phantom);
        var delete = await PostSignedAsync("/inbox", deleteOfANote, phantom);

        Assert.AreEqual(HttpStatusCode.Unauthorized, follow.StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, delete.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_request_whose_key_server_is_unreachable_is_answered_503_with_Retry_After()
    {
        // Same key pair as a peer actor, but published (supposedly) by a server that refuses connections right now.
        var template = Peer.AddActor("unreachable_template");
        var id = $"http://127.0.0.1:{ClosedPort()}/users/ursula";
        var ursula = template with { Id = id, KeyId = id + "#main-key", Inbox = id + "/inbox" };

        var response = await PostSignedAsync($"/users/{Target}/inbox", Follow(ursula, Target, "1"), ursula);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(300), response.Headers.RetryAfter?.Delta);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_request_whose_keyId_can_never_be_fetched_is_refused_with_401()
    {
        var fay = Peer.AddActor("fay");

        var response = await PostSignedAsync($"/users/{Target}/inbox", Follow(fay, Target, "1"), fay with { KeyId = "ftp://127.0.0.1/users/fay#main-key" });

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    [TestMethod]
    public async Task A_signed_Delete_of_an_actor_removes_it_from_every_local_accounts_followers()
    {
        await Instance.CreateAccountAsync("del_ada");
        await Instance.CreateAccountAsync("del_bo");
        var dora = Peer.AddActor("dora");
        await PostSignedAsync("/users/del_ada/inbox", Follow(dora, "del_ada", "1"), dora);
        await PostSignedAsync("/inbox", Follow(dora, "del_bo", "2"), dora);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("del_ada") == 1 && await FollowersCountAsync("del_bo") == 1, "both follows applied");

        var response = await PostSignedAsync("/inbox", Delete(dora), dora);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => await FollowersCountAsync("del_ada") == 0 && await FollowersCountAsync("del_bo") == 0, "dora removed everywhere");
        await WaitUntilQuietAsync();
        Assert.IsEmpty(await FollowersPageAsync("del_ada"));
        Assert.IsEmpty(await FollowersPageAsync("del_bo"));
        Assert.IsNotNull((await Instance.Services.GetRequiredService<RemoteActorStore>().GetAsync(dora.Id, CancellationToken.None))?.DeletedAt, "the cached actor is marked deleted (nothing from it is accepted again)");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonObject Follow(PeerActor follower, string username, string n) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{follower.Id}#follows/{username}/{n}",
        ["type"] = "Follow",
        ["actor"] = follower.Id,
        ["object"] = $"{Instance.BaseUrl}/users/{username}",
    };

    private static JsonObject Delete(PeerActor actor) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}#delete",
        ["type"] = "Delete",
        ["actor"] = actor.Id,
        ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        ["object"] = actor.Id,
    };

    private static HttpRequestMessage Request(string path, byte[] body) =>
        new(HttpMethod.Post, new Uri(new Uri(Instance.BaseUrl), path)) { Content = Content(body) };

    private static async Task<HttpResponseMessage> PostAsync(string path, byte[] body)
    {
        using var request = Request(path, body);
        return await Instance.Http.SendAsync(request);
    }

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(ActivityJson);
        return content;
    }

    private static async Task<string?[]> FollowersPageAsync(string username) =>
        [.. (await GetJsonAsync($"/users/{username}/followers?page=1")).GetProperty("orderedItems").EnumerateArray().Select(e => e.GetString())];

    /// <summary>The key a remote server finds in our actor document.</summary>
    private static async Task<PublicKeyMaterial> PublishedKeyAsync(string username)
    {
        var actor = await GetJsonAsync($"/users/{username}");
        var key = actor.GetProperty("publicKey");
        return new PublicKeyMaterial(key.GetProperty("id").GetString()!, key.GetProperty("owner").GetString()!, key.GetProperty("publicKeyPem").GetString(), null);
    }

    private static async Task AssertNothingQueuedAsync() => Assert.AreEqual(0, await QueuedAsync(), "a refused request enqueues nothing");
}
