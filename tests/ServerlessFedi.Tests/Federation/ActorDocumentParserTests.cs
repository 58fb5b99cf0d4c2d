using System.Text.Json;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Actor documents in the shapes real servers emit (Fixtures/*.json, written after each server's output: keyId styles,
/// shared inbox placement, context styles, extension fields), and hostile documents that must not be trusted.
/// </summary>
[TestClass]
public sealed class ActorDocumentParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The raw Ed25519 key of the did:key test vector <c>z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp</c>.</summary>
    private const string DidKeyVectorHex = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29";

    private static (RemoteActor? Actor, string? Error) Parse(string fixture, string fetchedFrom)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Federation", "Fixtures", fixture);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return ActorDocumentParser.Parse(doc.RootElement.Clone(), new Uri(fetchedFrom), Now);
    }

    private static RemoteActor Parsed(string fixture, string fetchedFrom)
    {
        var (actor, error) = Parse(fixture, fetchedFrom);
        Assert.IsNotNull(actor, error);
        Assert.IsNull(error);
        return actor;
    }

    [TestMethod]
    public void Mastodon_actor_with_a_fragment_keyId_and_a_shared_inbox_is_read()
    {
        var actor = Parsed("mastodon-actor.json", "https://mastodon.example/users/Gargron");

        Assert.AreEqual("https://mastodon.example/users/Gargron", actor.Id);
        Assert.AreEqual("Person", actor.Type);
        Assert.AreEqual("Gargron", actor.PreferredUsername);
        Assert.AreEqual("Eugen Rochko", actor.Name);
        Assert.AreEqual("https://mastodon.example/users/Gargron/inbox", actor.Inbox);
        Assert.AreEqual("https://mastodon.example/inbox", actor.SharedInbox);
        Assert.AreEqual("https://mastodon.example/inbox", actor.DeliveryInbox);
        Assert.AreEqual("https://mastodon.example/@Gargron", actor.Url);
        Assert.AreEqual("https://mastodon.example/users/Gargron#main-key", actor.KeyId);
        StringAssert.StartsWith(actor.PublicKeyPem, "-----BEGIN PUBLIC KEY-----");
        Assert.IsNull(actor.Ed25519KeyId);
        Assert.AreEqual(Now, actor.FetchedAt);
        Assert.AreEqual("mastodon.example", actor.Host);
    }

    [TestMethod]
    public void GoToSocial_actor_with_a_separate_key_path_and_an_owner_is_read()
    {
        var actor = Parsed("gotosocial-actor.json", "https://gts.example/users/x");

        Assert.AreEqual("https://gts.example/users/x", actor.Id);
        Assert.AreEqual("https://gts.example/users/x/main-key", actor.KeyId);
        Assert.IsNotNull(actor.PublicKeyPem);
        Assert.AreEqual("https://gts.example/users/x/inbox", actor.Inbox);
        Assert.AreEqual("https://gts.example/sharedInbox", actor.SharedInbox);
        Assert.AreEqual("https://gts.example/@x", actor.Url);
    }

    [TestMethod]
    public void Misskey_actor_with_misskey_extension_fields_and_a_top_level_shared_inbox_is_read()
    {
        var actor = Parsed("misskey-actor.json", "https://misskey.example/users/9tjq7mbg0a");

        Assert.AreEqual("https://misskey.example/users/9tjq7mbg0a", actor.Id);
        Assert.AreEqual("syuilo", actor.PreferredUsername);
        Assert.AreEqual("しゅいろ", actor.Name);
        Assert.AreEqual("https://misskey.example/users/9tjq7mbg0a#main-key", actor.KeyId);
        Assert.AreEqual("https://misskey.example/inbox", actor.SharedInbox);
        Assert.AreEqual("https://misskey.example/@syuilo", actor.Url);
    }

    [TestMethod]
    public void Pixelfed_actor_with_its_f_inbox_shared_inbox_is_read()
    {
        var actor = Parsed("pixelfed-actor.json", "https://pixelfed.example/users/dansup");

        Assert.AreEqual("https://pixelfed.example/users/dansup#main-key", actor.KeyId);
        Assert.AreEqual("https://pixelfed.example/f/inbox", actor.SharedInbox);
        Assert.AreEqual("https://pixelfed.example/dansup", actor.Url);
    }

    [TestMethod]
    public void Actor_without_endpoints_is_delivered_to_its_own_inbox()
    {
        var actor = Parsed("pixelfed-actor-without-shared-inbox.json", "https://pixelfed.example/users/pixelfed");

        Assert.IsNull(actor.SharedInbox);
        Assert.AreEqual("https://pixelfed.example/users/pixelfed/inbox", actor.DeliveryInbox);
        Assert.AreEqual("https://pixelfed.example/users/pixelfed#main-key", actor.KeyId);
    }

    [TestMethod]
    public void Fedify_actor_yields_its_RSA_key_and_the_Ed25519_Multikey_of_its_assertion_methods()
    {
        var actor = Parsed("fedify-actor.json", "https://fedify.example/users/alice");

        Assert.AreEqual("https://fedify.example/users/alice#main-key", actor.KeyId);
        Assert.IsNotNull(actor.PublicKeyPem);
        // The first Multikey is the RSA key (multicodec 0x1205); only the Ed25519 one (0xed01) is taken.
        Assert.AreEqual("https://fedify.example/users/alice#key-2", actor.Ed25519KeyId);
        Assert.AreEqual(DidKeyVectorHex, Convert.ToHexStringLower(actor.Ed25519PublicKey!));
        Assert.AreEqual("https://fedify.example/inbox", actor.SharedInbox);
        Assert.AreEqual("https://fedify.example/@alice", actor.Url, "url as a Link object");
    }

    [TestMethod]
    public void The_did_key_test_vector_decodes_to_its_raw_Ed25519_key()
    {
        Assert.IsTrue(ActorDocumentParser.TryDecodeEd25519Multibase("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", out var key));

        Assert.AreEqual(DidKeyVectorHex, Convert.ToHexStringLower(key));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("u7QE7aie8zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKQ")]
    [DataRow("z4MXj1wBzi9jUstyNVFeZQ9utT9hdWQVNKvZc76sZXki1AYVFRW8Lhf8zNH1yVdt6qmsRaVHbRNzn2Lf5p2FMM6XmVCHFGg5DPQeLuLKvTnaZxKH29j3Q")]
    [DataRow("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0")]
    public void Multibase_values_that_are_not_base58btc_Ed25519_keys_are_refused(string multibase)
    {
        Assert.IsFalse(ActorDocumentParser.TryDecodeEd25519Multibase(multibase, out var key));
        Assert.IsEmpty(key);
    }

    [TestMethod]
    public void The_first_usable_key_of_a_publicKey_array_is_taken()
    {
        // A bare reference and a key owned by another actor come first; both are skipped.
        var actor = Parsed("publickey-array-actor.json", "https://multikey.example/users/kim");

        Assert.AreEqual("https://multikey.example/users/kim#main-key", actor.KeyId);
        Assert.IsNull(actor.SharedInbox);
    }

    [TestMethod]
    public void Expanded_JSON_LD_as_a_top_level_array_is_refused_as_not_an_object()
    {
        // The parser reads compacted ActivityStreams only (as Mastodon does); an expanded document is refused, not misread.
        var (actor, error) = Parse("jsonld-expanded-actor.json", "https://expanded.example/users/eve");

        Assert.IsNull(actor);
        Assert.AreEqual("not a JSON object", error);
    }

    [TestMethod]
    public void Expanded_JSON_LD_as_an_object_is_refused_because_it_has_no_compacted_id()
    {
        var (actor, error) = Parse("jsonld-expanded-actor-object.json", "https://expanded.example/users/eve");

        Assert.IsNull(actor);
        Assert.AreEqual("actor has no absolute id", error);
    }

    [TestMethod]
    public void An_actor_whose_id_is_on_another_host_than_it_was_fetched_from_is_refused()
    {
        var (actor, error) = Parse("hostile-actor-id-on-other-host.json", "https://victim.example/users/bob");

        Assert.IsNull(actor);
        Assert.AreEqual("actor id https://attacker.example/users/bob is not on the host it was fetched from (victim.example)", error);
    }

    [TestMethod]
    public void An_actor_fetched_from_another_port_of_its_host_is_refused()
    {
        var (actor, error) = Parse("mastodon-actor.json", "https://mastodon.example:8443/users/Gargron");

        Assert.IsNull(actor);
        StringAssert.Contains(error, "is not on the host it was fetched from");
    }

    [TestMethod]
    public void An_actor_whose_inbox_is_on_another_host_is_refused()
    {
        var (actor, error) = Parse("hostile-inbox-on-other-host.json", "https://victim.example/users/bob");

        Assert.IsNull(actor);
        Assert.AreEqual("actor has no inbox on its own host", error);
    }

    [TestMethod]
    public void An_actor_without_an_inbox_is_refused()
    {
        var (actor, error) = Parse("hostile-missing-inbox.json", "https://victim.example/users/bob");

        Assert.IsNull(actor);
        Assert.AreEqual("actor has no inbox on its own host", error);
    }

    [TestMethod]
    public void A_shared_inbox_on_another_host_is_ignored()
    {
        var actor = Parsed("hostile-shared-inbox-on-other-host.json", "https://victim.example/users/bob");

        Assert.IsNull(actor.SharedInbox);
        Assert.AreEqual("https://victim.example/users/bob/inbox", actor.DeliveryInbox);
    }

    [TestMethod]
    public void Keys_owned_or_controlled_by_another_actor_are_not_taken()
    {
        var actor = Parsed("hostile-key-owner-mismatch.json", "https://victim.example/users/bob");

        Assert.IsNull(actor.KeyId);
        Assert.IsNull(actor.PublicKeyPem);
        Assert.IsNull(actor.Ed25519KeyId);
        Assert.IsNull(actor.Ed25519PublicKey);
    }

    [TestMethod]
    public void A_key_whose_id_is_on_another_host_is_not_taken()
    {
        var actor = Parsed("hostile-key-on-other-host.json", "https://victim.example/users/bob");

        Assert.IsNull(actor.KeyId);
        Assert.IsNull(actor.PublicKeyPem);
    }

    [TestMethod]
    public void A_document_that_is_not_an_actor_is_refused()
    {
        var (actor, error) = Parse("hostile-note.json", "https://victim.example/users/bob");

        Assert.IsNull(actor);
        Assert.AreEqual("'Note' is not an actor type", error);
    }
}
