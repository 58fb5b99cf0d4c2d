using NSec.Cryptography;
using ServerlessFedi.Crypto;

namespace ServerlessFedi.Tests.Crypto;

[TestClass]
public sealed class ActorKeysTests
{
    /// <summary>
    /// did:key test vector (w3c-ccg did-method-key, Ed25519VerificationKey2018 example):
    /// publicKeyBase58 <c>4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS</c> is
    /// <c>did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp</c>.
    /// </summary>
    [TestMethod]
    public void Multibase_of_the_did_key_test_vector_matches()
    {
        var publicKey = SimpleBase.Base58.Bitcoin.Decode("4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS");
        Assert.HasCount(32, publicKey);

        Assert.AreEqual("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", ActorKeys.ToMultibase(publicKey));
    }

    [TestMethod]
    public void Multibase_round_trips_to_the_multicodec_prefix_and_the_key()
    {
        var keys = ActorKeys.Generate();

        var multibase = keys.Ed25519PublicKeyMultibase;

        StringAssert.StartsWith(multibase, "z");
        var decoded = SimpleBase.Base58.Bitcoin.Decode(multibase.AsSpan(1));
        Assert.HasCount(34, decoded);
        Assert.AreEqual(0xed, decoded[0]);
        Assert.AreEqual(0x01, decoded[1]);
        CollectionAssert.AreEqual(keys.Ed25519PublicKey, decoded[2..]);
    }

    [TestMethod]
    public void Generated_ed25519_keys_have_z6Mk_multibase()
    {
        for (var i = 0; i < 20; i++)
        {
            var keys = ActorKeys.Generate();

            StringAssert.StartsWith(keys.Ed25519PublicKeyMultibase, "z6Mk");
            Assert.AreEqual(48, keys.Ed25519PublicKeyMultibase.Length);
        }
    }

    [TestMethod]
    public void Generated_ed25519_public_key_belongs_to_the_private_key()
    {
        var keys = ActorKeys.Generate();
        var ed = SignatureAlgorithm.Ed25519;

        using var privateKey = Key.Import(ed, keys.Ed25519PrivateKey, KeyBlobFormat.RawPrivateKey);

        CollectionAssert.AreEqual(keys.Ed25519PublicKey, privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    [TestMethod]
    public void Generate_yields_fresh_keys_each_time()
    {
        var first = ActorKeys.Generate();
        var second = ActorKeys.Generate();

        Assert.AreNotEqual(first.RsaPrivateKeyPem, second.RsaPrivateKeyPem);
        CollectionAssert.AreNotEqual(first.Ed25519PrivateKey, second.Ed25519PrivateKey);
    }
}
