using System.Security.Cryptography;
using System.Text;
using ServerlessFedi.Push;

namespace ServerlessFedi.Tests.Push;

/// <summary>RFC 8291's worked example (§5, Appendix A) checks the test's receiver first, then the server's encryption against it.</summary>
[TestClass]
public sealed class WebPushEncryptionTests
{
    private const string Plaintext = "When I grow up, I want to be a watermelon";
    private const string UaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string UaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private const string AsPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private const string AsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private const string AuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
    private const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
    private const string Body =
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    [TestMethod]
    public void The_test_receiver_decrypts_RFC_8291s_example()
    {
        using var receiver = PushReceiver.FromPrivate(PushReceiver.FromB64(UaPublic), PushReceiver.FromB64(UaPrivate), PushReceiver.FromB64(AuthSecret));

        Assert.AreEqual(Plaintext, Encoding.UTF8.GetString(receiver.Decrypt(PushReceiver.FromB64(Body))));
    }

    [TestMethod]
    public void The_servers_encryption_with_the_examples_ephemeral_key_and_salt_gives_RFC_8291s_body()
    {
        var asPublic = PushReceiver.FromB64(AsPublic);
        using var ephemeral = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = PushReceiver.FromB64(AsPrivate),
            Q = new ECPoint { X = asPublic[1..33], Y = asPublic[33..] },
        });

        var body = WebPushEncryption.Encrypt(Encoding.UTF8.GetBytes(Plaintext), PushReceiver.FromB64(UaPublic), PushReceiver.FromB64(AuthSecret), ephemeral, PushReceiver.FromB64(Salt));

        Assert.AreEqual(Body, PushReceiver.B64(body));
    }

    [TestMethod]
    public void A_fresh_push_round_trips_and_hostile_keys_are_not_points()
    {
        using var receiver = PushReceiver.Create();
        var message = Encoding.UTF8.GetBytes("{\"title\":\"x\"}");

        var body = WebPushEncryption.Encrypt(message, receiver.PublicKey, receiver.Auth);
        var offCurve = (byte[])receiver.PublicKey.Clone();
        offCurve[40] ^= 1;

        CollectionAssert.AreEqual(message, receiver.Decrypt(body));
        Assert.IsTrue(WebPushEncryption.IsP256Point(receiver.PublicKey));
        Assert.IsFalse(WebPushEncryption.IsP256Point(offCurve));
        Assert.IsFalse(WebPushEncryption.IsP256Point(receiver.PublicKey[..33]));
        Assert.IsFalse(WebPushEncryption.IsP256Point([5, .. receiver.PublicKey[1..]]));
    }
}
