using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Signatures;
using SimpleBase;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>
/// <c>eddsa-jcs-2022</c> against the published test vector of W3C Data Integrity EdDSA Cryptosuites v1.0 (appendix
/// "Representation: eddsa-jcs-2022", w3c/vc-di-eddsa TestVectors/eddsa-jcs-2022 with TestVectors/keyPair.json), then
/// tampered and malformed variants. Ed25519 is deterministic, so creating the proof must give the published proofValue.
/// </summary>
[TestClass]
public sealed class ObjectIntegrityProofTests
{
    private const string PublicKeyMultibase = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    private const string PrivateKeyMultibase = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
    private const string VerificationMethod = "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    private const string Controller = "https://vc.example/issuers/5678";
    private const string ExpectedProofValue = "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4";
    private static readonly DateTimeOffset Created = new(2023, 2, 24, 23, 36, 38, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    private const string Unsecured = """
        {
          "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
          ],
          "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
          "type": ["VerifiableCredential", "AlumniCredential"],
          "name": "Alumni Credential",
          "description": "A minimum viable example of an Alumni Credential.",
          "issuer": "https://vc.example/issuers/5678",
          "validFrom": "2023-01-01T00:00:00Z",
          "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": "The School of Examples"
          }
        }
        """;

    private const string PublishedProof = """
        {
          "type": "DataIntegrityProof",
          "cryptosuite": "eddsa-jcs-2022",
          "created": "2023-02-24T23:36:38Z",
          "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
          "proofPurpose": "assertionMethod",
          "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
          ],
          "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
        }
        """;

    private static byte[] PrivateKey => Decode(PrivateKeyMultibase, 0x80, 0x26);

    private static PublicKeyMaterial Key => new(VerificationMethod, Controller, null, Decode(PublicKeyMultibase, 0xed, 0x01));

    private static byte[] Decode(string multibase, byte codec0, byte codec1)
    {
        var raw = Base58.Bitcoin.Decode(multibase.AsSpan(1));
        Assert.AreEqual(codec0, raw[0]);
        Assert.AreEqual(codec1, raw[1]);
        return raw[2..];
    }

    private static JsonObject Secured()
    {
        var doc = JsonNode.Parse(Unsecured)!.AsObject();
        doc["proof"] = JsonNode.Parse(PublishedProof);
        return doc;
    }

    private static ProofVerification Verify(JsonObject secured, PublicKeyMaterial? key = null, DateTimeOffset? now = null)
    {
        using var doc = JsonDocument.Parse(secured.ToJsonString());
        return ObjectIntegrityProof.Verify(doc.RootElement, doc.RootElement.GetProperty("proof"), key ?? Key, now ?? Now);
    }

    private static void AssertRejected(ProofVerification result, string reasonPart)
    {
        var rejected = result as ProofVerification.Rejected;
        Assert.IsNotNull(rejected, $"expected a rejection, got {result}");
        StringAssert.Contains(rejected.Reason, reasonPart);
    }

    [TestMethod]
    public void Creating_the_proof_of_the_published_vector_gives_the_published_proof()
    {
        var proof = ObjectIntegrityProof.CreateProof(JsonNode.Parse(Unsecured)!.AsObject(), VerificationMethod, PrivateKey, Created);

        Assert.AreEqual(ExpectedProofValue, (string?)proof["proofValue"]);
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse(PublishedProof), proof), proof.ToJsonString());
    }

    [TestMethod]
    public void The_published_vector_verifies_and_names_the_key_and_its_controller()
    {
        var result = Verify(Secured());

        Assert.AreEqual(new ProofVerification.Verified(VerificationMethod, Controller), result);
    }

    [TestMethod]
    public void Member_order_and_whitespace_do_not_matter()
    {
        var secured = Secured();
        var reordered = new JsonObject(secured.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        using var doc = JsonDocument.Parse(reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        Assert.IsInstanceOfType<ProofVerification.Verified>(ObjectIntegrityProof.Verify(doc.RootElement, doc.RootElement.GetProperty("proof"), Key, Now));
    }

    [TestMethod]
    public void A_proof_without_its_own_context_is_checked_with_the_documents_as_Fedify_does()
    {
        var document = JsonNode.Parse(Unsecured)!.AsObject();
        var proof = ObjectIntegrityProof.CreateProof(document, VerificationMethod, PrivateKey, Created);
        proof.Remove("@context");
        document["proof"] = proof;

        Assert.IsInstanceOfType<ProofVerification.Verified>(Verify(document));
    }

    [TestMethod]
    public void A_linked_data_signature_added_after_the_proof_is_set_aside_as_Fedify_does()
    {
        var secured = Secured();
        secured["signature"] = new JsonObject
        {
            ["type"] = "RsaSignature2017",
            ["creator"] = "https://vc.example/issuers/5678#main-key",
            ["created"] = "2023-02-24T23:36:40Z",
            ["signatureValue"] = "c2lnbmF0dXJl",
        };

        Assert.IsInstanceOfType<ProofVerification.Verified>(Verify(secured));
    }

    [TestMethod]
    public void A_signature_member_that_is_not_a_linked_data_signature_stays_covered()
    {
        var secured = Secured();
        secured["signature"] = "added by someone";

        AssertRejected(Verify(secured), "signature does not match");
    }

    [TestMethod]
    public void A_changed_document_is_rejected()
    {
        var secured = Secured();
        secured["credentialSubject"]!["alumniOf"] = "The School of Forgeries";

        AssertRejected(Verify(secured), "signature does not match");
    }

    [TestMethod]
    public void An_added_member_is_rejected()
    {
        var secured = Secured();
        secured["cc"] = "https://attacker.example/followers";

        AssertRejected(Verify(secured), "signature does not match");
    }

    [TestMethod]
    public void A_changed_created_time_is_rejected()
    {
        var secured = Secured();
        secured["proof"]!["created"] = "2023-02-24T23:36:39Z";

        AssertRejected(Verify(secured), "signature does not match");
    }

    [TestMethod]
    public void Another_key_is_rejected()
    {
        var other = Key with { Ed25519PublicKey = Decode("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", 0xed, 0x01) };

        AssertRejected(Verify(Secured(), other), "signature does not match");
    }

    [TestMethod]
    public void A_key_that_is_not_the_verification_method_is_rejected() =>
        AssertRejected(Verify(Secured(), Key with { KeyId = "https://vc.example/issuers/5678#other" }), "not the proof's verificationMethod");

    [TestMethod]
    public void An_RSA_key_is_rejected() =>
        AssertRejected(Verify(Secured(), new PublicKeyMaterial(VerificationMethod, Controller, TestKeys.CavagePublicKeyPem, null)), "not an Ed25519 key");

    [TestMethod]
    [DataRow("cryptosuite", "eddsa-rdfc-2022", "cryptosuite eddsa-jcs-2022")]
    [DataRow("type", "Ed25519Signature2020", "cryptosuite eddsa-jcs-2022")]
    [DataRow("proofPurpose", "authentication", "proofPurpose must be assertionMethod")]
    [DataRow("verificationMethod", "not a url", "verificationMethod must be an absolute URL")]
    [DataRow("created", "yesterday", "created is not a date-time")]
    [DataRow("expires", "2024-01-01T00:00:00Z", "expired")]
    [DataRow("expires", "soon", "expires is not a date-time")]
    [DataRow("proofValue", "u3q2-base64url", "base58btc multibase")]
    [DataRow("proofValue", "z0OIl", "not base58btc")]
    [DataRow("proofValue", "z3P6rHMU", "not a 64-byte Ed25519 signature")]
    public void A_malformed_proof_is_rejected_with_its_reason(string member, string value, string reason)
    {
        var secured = Secured();
        secured["proof"]![member] = value;

        AssertRejected(Verify(secured), reason);
    }

    [TestMethod]
    public void A_missing_proof_value_is_rejected()
    {
        var secured = Secured();
        secured["proof"]!.AsObject().Remove("proofValue");

        AssertRejected(Verify(secured), "base58btc multibase");
    }

    [TestMethod]
    public void A_proof_context_that_the_document_context_does_not_start_with_is_rejected()
    {
        var secured = Secured();
        secured["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2");

        AssertRejected(Verify(secured), "does not start with the proof's @context");
    }

    [TestMethod]
    public void A_document_with_duplicate_members_cannot_be_verified()
    {
        var text = Secured().ToJsonString().Replace("\"name\":", "\"name\":\"x\",\"name\":", StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);

        AssertRejected(ObjectIntegrityProof.Verify(doc.RootElement, doc.RootElement.GetProperty("proof"), Key, Now), "cannot be canonicalized");
    }

    [TestMethod]
    public void Created_is_written_in_whole_seconds_utc() =>
        Assert.AreEqual("2026-03-02T09:00:01Z", ObjectIntegrityProof.FormatCreated(new DateTimeOffset(2026, 3, 2, 10, 0, 1, 999, TimeSpan.FromHours(1))));
}
