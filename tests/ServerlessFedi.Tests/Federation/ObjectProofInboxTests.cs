using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// FEP-8b32 object integrity proofs at the inbox of the running standalone host: a valid proof by the activity's actor
/// admits an activity forwarded under another actor's HTTP signature; a proof that does not hold is refused with 401
/// whoever signed the request; and what we send carries a proof that checks with the key our actor document publishes.
/// </summary>
[TestClass]
public sealed class ObjectProofInboxTests : FederationTest<ObjectProofInboxTests>
{
    private const string ActivityJson = "application/activity+json";

    [TestCleanup]
    public async Task LeaveTheQueuesEmpty() => await Eventually.TrueAsync(async () => await QueuedAsync() == 0, "the work queues emptying");

    [TestMethod]
    public async Task A_forwarded_Follow_with_a_valid_proof_by_its_actor_is_accepted()
    {
        await Instance.CreateAccountAsync("fwd_anna");
        var relay = Peer.AddActor("relay");
        var carol = Peer.AddActor("carol");
        var follow = Proved(Follow(carol, "fwd_anna"), carol);

        var response = await PostSignedAsync("/users/fwd_anna/inbox", follow, signer: relay);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => await FollowersCountAsync("fwd_anna") == 1, "fwd_anna's followers reaching 1");
    }

    [TestMethod]
    public async Task A_forwarded_Follow_whose_proved_body_was_altered_is_refused_with_401()
    {
        await Instance.CreateAccountAsync("fwd_bert");
        var relay = Peer.AddActor("relay_b");
        var dora = Peer.AddActor("dora");
        var follow = Proved(Follow(dora, "fwd_bert"), dora);
        follow["object"] = $"{Instance.BaseUrl}/users/fwd_bert"; // same value: still valid
        follow["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"); // an addition the proof does not cover

        var response = await PostSignedAsync("/users/fwd_bert/inbox", follow, signer: relay);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("object integrity proof: " + ObjectIntegrityProof.SignatureMismatch, await ErrorAsync(response));
        Assert.AreEqual(0, await QueuedAsync(), "a refused request enqueues nothing");
        Assert.AreEqual(0, await FollowersCountAsync("fwd_bert"));
    }

    [TestMethod]
    public async Task A_tampered_proof_is_refused_even_when_the_actor_signed_the_request()
    {
        await Instance.CreateAccountAsync("fwd_cleo");
        var emil = Peer.AddActor("emil");
        var follow = Proved(Follow(emil, "fwd_cleo"), emil);
        var value = (string)follow["proof"]!["proofValue"]!;
        follow["proof"]!["proofValue"] = value[..^2] + (value[^2] == 'a' ? "b" : "a") + value[^1];

        var response = await PostSignedAsync("/users/fwd_cleo/inbox", follow, signer: emil);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        StringAssert.StartsWith(await ErrorAsync(response), "object integrity proof: ");
        Assert.AreEqual(0, await QueuedAsync(), "a refused request enqueues nothing");
    }

    [TestMethod]
    public async Task A_valid_proof_by_someone_else_does_not_admit_a_forwarded_activity()
    {
        await Instance.CreateAccountAsync("fwd_dina");
        var relay = Peer.AddActor("relay_d");
        var fred = Peer.AddActor("fred");
        var follow = Proved(Follow(fred, "fwd_dina"), relay); // the relay's own key, not fred's

        var response = await PostSignedAsync("/users/fwd_dina/inbox", follow, signer: relay);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("the signing key does not belong to the activity's actor", await ErrorAsync(response));
    }

    [TestMethod]
    public async Task A_proof_naming_an_unknown_key_is_refused_with_401()
    {
        await Instance.CreateAccountAsync("fwd_ella");
        var gina = Peer.AddActor("gina");
        var follow = Follow(gina, "fwd_ella");
        var proof = ObjectIntegrityProof.CreateProof(follow, gina.Id + "#no-such-key", gina.Ed25519.Private, DateTimeOffset.UtcNow);
        follow["proof"] = proof;

        var response = await PostSignedAsync("/users/fwd_ella/inbox", follow, signer: gina);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("object integrity proof: the proof's verificationMethod is not a known Ed25519 key", await ErrorAsync(response));
    }

    [TestMethod]
    public async Task A_proof_of_another_cryptosuite_is_left_alone_and_the_signer_rule_applies()
    {
        await Instance.CreateAccountAsync("fwd_fay");
        var hugo = Peer.AddActor("hugo");
        var follow = Follow(hugo, "fwd_fay");
        follow["proof"] = new JsonObject { ["type"] = "DataIntegrityProof", ["cryptosuite"] = "eddsa-rdfc-2022", ["proofValue"] = "zz" };

        var response = await PostSignedAsync("/users/fwd_fay/inbox", follow, signer: hugo);

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
    }

    [TestMethod]
    public async Task The_Accept_we_send_carries_a_proof_made_with_the_published_assertionMethod_key()
    {
        await Instance.CreateAccountAsync("prover");
        var ivan = Peer.AddActor("ivan");

        var response = await PostSignedAsync("/users/prover/inbox", Follow(ivan, "prover"), signer: ivan);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(Peer.PostsTo(ivan.InboxPath).Count == 1), "the Accept reaching ivan");

        using var accept = JsonDocument.Parse(Peer.PostsTo(ivan.InboxPath).Single().BodyText);
        var root = accept.RootElement;
        var context = root.GetProperty("@context").EnumerateArray().Select(e => e.GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "https://www.w3.org/ns/activitystreams", ObjectIntegrityProof.DataIntegrityContext }, context);
        var proof = root.GetProperty("proof");
        Assert.AreEqual("eddsa-jcs-2022", proof.GetProperty("cryptosuite").GetString());

        var actor = await GetJsonAsync("/users/prover");
        var method = actor.GetProperty("assertionMethod")[0];
        Assert.IsTrue(ServerlessFedi.Federation.ActorDocumentParser.TryDecodeEd25519Multibase(method.GetProperty("publicKeyMultibase").GetString()!, out var publicKey));
        var key = new PublicKeyMaterial(method.GetProperty("id").GetString()!, method.GetProperty("controller").GetString()!, null, publicKey);
        var result = ObjectIntegrityProof.Verify(root, proof, key, DateTimeOffset.UtcNow);
        Assert.AreEqual(new ProofVerification.Verified($"{Instance.BaseUrl}/users/prover#ed25519-key", $"{Instance.BaseUrl}/users/prover"), result);
    }

    private static JsonObject Follow(PeerActor follower, string username) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", ObjectIntegrityProof.DataIntegrityContext),
        ["id"] = $"{follower.Id}#follows/{username}",
        ["type"] = "Follow",
        ["actor"] = follower.Id,
        ["object"] = $"{Instance.BaseUrl}/users/{username}",
    };

    private static JsonObject Proved(JsonObject activity, PeerActor by) =>
        ObjectIntegrityProof.Sign(activity, by.Ed25519KeyId, by.Ed25519.Private, DateTimeOffset.UtcNow);

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
}
