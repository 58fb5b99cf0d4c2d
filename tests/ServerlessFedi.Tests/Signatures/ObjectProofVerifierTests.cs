using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Crypto;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>Which proofs of a received activity are judged, key lookup and rotation, with fixed keys and a fake clock.</summary>
[TestClass]
public sealed class ObjectProofVerifierTests
{
    private const string Actor = "https://remote.example/users/carol";
    private const string KeyId = Actor + "#ed25519-key";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly (byte[] Private, byte[] Public) Carol = ActorKeys.GenerateEd25519();
    private static readonly (byte[] Private, byte[] Public) Rotated = ActorKeys.GenerateEd25519();

    private static JsonObject Activity() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", ObjectIntegrityProof.DataIntegrityContext),
        ["id"] = Actor + "#likes/1",
        ["type"] = "Like",
        ["actor"] = Actor,
        ["object"] = "https://local.example/users/alice/statuses/1",
    };

    private static PublicKeyMaterial KeyOf(byte[] publicKey) => new(KeyId, Actor, null, publicKey);

    private static async Task<ProofVerification> VerifyAsync(JsonObject activity, FakePublicKeyResolver keys)
    {
        using var doc = JsonDocument.Parse(activity.ToJsonString());
        return await new ObjectProofVerifier(keys, new FakeTimeProvider(Now)).VerifyAsync(doc.RootElement, Actor, CancellationToken.None);
    }

    [TestMethod]
    public async Task An_activity_without_proof_is_absent_and_costs_no_lookup()
    {
        var keys = new FakePublicKeyResolver();

        Assert.IsInstanceOfType<ProofVerification.Absent>(await VerifyAsync(Activity(), keys));
        Assert.AreEqual(0, keys.Lookups);
    }

    [TestMethod]
    public async Task A_valid_proof_names_the_key_and_the_actor()
    {
        var activity = ObjectIntegrityProof.Sign(Activity(), KeyId, Carol.Private, Now);

        var result = await VerifyAsync(activity, new FakePublicKeyResolver().Add(KeyOf(Carol.Public)));

        Assert.AreEqual(new ProofVerification.Verified(KeyId, Actor), result);
    }

    [TestMethod]
    public async Task A_rotated_key_is_refetched_once_and_then_verifies()
    {
        var activity = ObjectIntegrityProof.Sign(Activity(), KeyId, Rotated.Private, Now);
        var keys = new FakePublicKeyResolver().Add(KeyOf(Carol.Public), afterRefresh: KeyOf(Rotated.Public));

        Assert.IsInstanceOfType<ProofVerification.Verified>(await VerifyAsync(activity, keys));
        Assert.AreEqual(1, keys.Refreshes);
    }

    [TestMethod]
    public async Task A_malformed_proof_is_rejected_without_refetching_the_key()
    {
        var activity = ObjectIntegrityProof.Sign(Activity(), KeyId, Carol.Private, Now);
        activity["proof"]!["proofPurpose"] = "authentication";
        var keys = new FakePublicKeyResolver().Add(KeyOf(Carol.Public));

        Assert.IsInstanceOfType<ProofVerification.Rejected>(await VerifyAsync(activity, keys));
        Assert.AreEqual(0, keys.Refreshes);
    }

    [TestMethod]
    public async Task Proofs_of_another_cryptosuite_or_by_a_did_key_are_not_judged()
    {
        var activity = Activity();
        activity["proof"] = new JsonArray(
            new JsonObject { ["type"] = "DataIntegrityProof", ["cryptosuite"] = "eddsa-rdfc-2022", ["proofValue"] = "z1" },
            new JsonObject { ["type"] = "DataIntegrityProof", ["cryptosuite"] = "eddsa-jcs-2022", ["verificationMethod"] = "did:key:z6Mk#z6Mk", ["proofValue"] = "z1" });
        var keys = new FakePublicKeyResolver();

        Assert.IsInstanceOfType<ProofVerification.Absent>(await VerifyAsync(activity, keys));
        Assert.AreEqual(0, keys.Lookups);
    }

    [TestMethod]
    public async Task Every_eddsa_jcs_2022_proof_must_hold()
    {
        var signed = ObjectIntegrityProof.Sign(Activity(), KeyId, Carol.Private, Now);
        var good = signed["proof"]!.DeepClone();
        var bad = good.DeepClone();
        bad["created"] = "2026-03-02T09:00:01Z";
        signed["proof"] = new JsonArray(good, bad);

        var result = await VerifyAsync(signed, new FakePublicKeyResolver().Add(KeyOf(Carol.Public)));

        Assert.AreEqual(new ProofVerification.Rejected(ObjectIntegrityProof.SignatureMismatch), result);
    }

    [TestMethod]
    public async Task An_unknown_key_is_rejected_after_one_refetch()
    {
        var activity = ObjectIntegrityProof.Sign(Activity(), KeyId, Carol.Private, Now);
        var keys = new FakePublicKeyResolver();

        var result = await VerifyAsync(activity, keys);

        Assert.AreEqual(new ProofVerification.Rejected("the proof's verificationMethod is not a known Ed25519 key"), result);
        Assert.AreEqual(1, keys.Refreshes);
    }
}
