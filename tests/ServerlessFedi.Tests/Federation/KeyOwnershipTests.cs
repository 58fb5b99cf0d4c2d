using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;
using ServerlessFedi.Tests.Signatures;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// A key belongs to an actor only when its id is on the actor's origin (issue 11, finding 3): an actor document that names
/// a key id of another server (in <c>publicKey</c> or <c>assertionMethod</c>) does not get it, the key index answers only
/// for the actor that owns the key, and an actor that deleted itself never shadows a key id it did not own.
/// </summary>
[TestClass]
public sealed class KeyOwnershipTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static TestInstance _instance = null!;
    private static FakePeer _peer = null!;
    private static FakePeer _victims = null!;

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _peer = await FakePeer.StartAsync();
        _victims = await FakePeer.StartAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _peer.DisposeAsync();
        await _victims.DisposeAsync();
    }

    [TestMethod]
    public async Task A_deleted_actor_that_claimed_another_servers_key_id_does_not_lock_its_owner_out()
    {
        var alice = await _instance.CreateAccountAsync("keyowner_target");
        var bob = _victims.AddActor("bob" + ApiTestClient.Next());
        var eve = _peer.AddActor("eve" + ApiTestClient.Next());
        var doc = _peer.DocumentOf(Name(eve));
        doc["assertionMethod"]![0]!["id"] = bob.KeyId; // bob's key id, on bob's server, claimed by eve
        _peer.Serve($"/users/{Name(eve)}", doc);

        await Api.FollowAsync(eve, alice); // eve's document is fetched and cached
        var delete = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{eve.Id}#delete", ["type"] = "Delete", ["actor"] = eve.Id, ["object"] = eve.Id };
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", delete, eve)).StatusCode);
        await Eventually.TrueAsync(async () => await FollowersCountAsync(alice) == 0, "eve's deletion removing her follow");
        await Api.WaitUntilQuietAsync();

        var follow = new JsonObject { ["@context"] = "https://www.w3.org/ns/activitystreams", ["id"] = $"{bob.Id}#follows/1", ["type"] = "Follow", ["actor"] = bob.Id, ["object"] = $"{_instance.BaseUrl}/users/{alice.Username}" };
        var response = await Api.PostSignedAsync($"/users/{alice.Username}/inbox", follow, bob);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => await FollowersCountAsync(alice) == 1, "bob's follow being recorded");
    }

    [TestMethod]
    public async Task The_key_index_answers_only_for_an_actor_that_owns_the_key()
    {
        var store = _instance.Services.GetRequiredService<RemoteActorStore>();
        var eveId = $"{_peer.BaseUrl}/users/eve{ApiTestClient.Next()}";
        var foreignKey = $"{_victims.BaseUrl}/users/bob{ApiTestClient.Next()}#main-key";
        var ownKey = eveId + "#ed25519-key";
        var eve = new RemoteActor(eveId, "Person", "eve", null, eveId + "/inbox", null, null, foreignKey, TestKeys.CavagePublicKeyPem, ownKey, new byte[32], DateTimeOffset.UtcNow);

        await store.PutAsync(eve, CancellationToken.None);

        Assert.IsNull(await store.GetByKeyIdAsync(foreignKey, CancellationToken.None), "a key id on another origin is not indexed for eve");
        Assert.AreEqual(eveId, (await store.GetByKeyIdAsync(ownKey, CancellationToken.None))?.Id);

        // eve's document later names another key: the old index row no longer answers for her.
        await store.PutAsync(eve with { Ed25519KeyId = eveId + "#key-2" }, CancellationToken.None);
        Assert.IsNull(await store.GetByKeyIdAsync(ownKey, CancellationToken.None));
    }

    [TestMethod]
    [DataRow("https://mastodon.example:8443/users/alice#main-key", "a key on another port")]
    [DataRow("http://mastodon.example/users/alice#main-key", "a key over another scheme")]
    [DataRow("https://victim.example/users/bob#main-key", "a key on another host")]
    public void A_publicKey_or_assertionMethod_whose_id_is_on_another_origin_is_not_taken(string keyId, string what)
    {
        var actor = Parse(keyId, keyId);

        Assert.IsNull(actor.KeyId, what);
        Assert.IsNull(actor.PublicKeyPem, what);
        Assert.IsNull(actor.Ed25519KeyId, what);
        Assert.IsNull(actor.Ed25519PublicKey, what);
    }

    [TestMethod]
    public void Keys_on_the_actors_origin_are_taken_with_a_fragment_or_as_a_path()
    {
        var actor = Parse("https://mastodon.example/users/alice/main-key", "https://mastodon.example/users/alice#ed25519-key");

        Assert.AreEqual("https://mastodon.example/users/alice/main-key", actor.KeyId);
        Assert.AreEqual("https://mastodon.example/users/alice#ed25519-key", actor.Ed25519KeyId);
    }

    private static RemoteActor Parse(string publicKeyId, string assertionMethodId)
    {
        const string id = "https://mastodon.example/users/alice";
        var doc = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = id,
            ["type"] = "Person",
            ["inbox"] = id + "/inbox",
            ["publicKey"] = new JsonObject { ["id"] = publicKeyId, ["owner"] = id, ["publicKeyPem"] = TestKeys.CavagePublicKeyPem },
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = assertionMethodId,
                ["type"] = "Multikey",
                ["controller"] = id,
                ["publicKeyMultibase"] = "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
            }),
        };
        using var parsed = JsonDocument.Parse(doc.ToJsonString());
        var (actor, error) = ActorDocumentParser.Parse(parsed.RootElement.Clone(), new Uri(id), Now);
        Assert.IsNotNull(actor, error);
        return actor;
    }

    private static string Name(PeerActor actor) => new Uri(actor.Id).Segments[^1];

    private static async Task<int> FollowersCountAsync(LocalAccount account) =>
        (await Api.SendAsync(HttpMethod.Get, $"/api/v1/accounts/{account.Id}", null)).Body.GetProperty("followers_count").GetInt32();
}
