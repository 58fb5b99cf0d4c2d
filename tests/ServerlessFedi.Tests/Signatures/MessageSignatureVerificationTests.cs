using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>RFC 9421 requests signed by <see cref="Rfc9421TestSigner"/> through our verifier, and tampered variants.</summary>
[TestClass]
public sealed class MessageSignatureVerificationTests
{
    private const string ActorId = "https://remote.example/users/carol";
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"Like\"}");
    private static readonly PublicKeyMaterial EdKey = new(ActorId + "#ed25519-key", ActorId, null, TestKeys.Ed25519PublicKey);
    private static readonly PublicKeyMaterial RsaKey = new(ActorId + "#main-key", ActorId, TestKeys.AlicePublicKeyPem, null);
    private static readonly string[] PostComponents = ["@method", "@target-uri", "@authority", "content-digest", "date"];
    private static readonly string[] GetComponents = ["@method", "@target-uri", "@authority", "date"];

    [TestMethod]
    public async Task Ed25519_post_round_trips()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519");

        Assert.AreEqual(new SignatureVerification.Verified(EdKey, HttpSignatureVerifier.Rfc9421Scheme), await Verify(request));
    }

    [TestMethod]
    public async Task Rsa_v1_5_sha256_get_round_trips()
    {
        var request = Sign(Get(), GetComponents, RsaKey, "rsa-v1_5-sha256");

        Assert.AreEqual(new SignatureVerification.Verified(RsaKey, HttpSignatureVerifier.Rfc9421Scheme), await Verify(request));
    }

    [TestMethod]
    public async Task Without_alg_the_algorithm_follows_the_key()
    {
        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(Sign(Post(), PostComponents, RsaKey, alg: null)));
        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(Sign(Post(), PostComponents, EdKey, alg: null)));
    }

    [TestMethod]
    public async Task Alg_that_does_not_fit_the_key_is_rejected()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519");
        request = request.WithHeader("signature-input", request.Headers["signature-input"].Replace("ed25519\"", "rsa-v1_5-sha256\"", StringComparison.Ordinal));

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), await Verify(request));
    }

    [TestMethod]
    public async Task Get_without_authority_is_rejected()
    {
        var request = Sign(Get(), ["@method", "@path", "@query", "date"], RsaKey, "rsa-v1_5-sha256");

        Assert.AreEqual(new SignatureVerification.Rejected("@authority must be signed for a GET request"), await Verify(request));
    }

    [TestMethod]
    public async Task Post_without_content_digest_is_rejected()
    {
        var request = Sign(Post(), ["@method", "@target-uri", "date"], EdKey, "ed25519");

        Assert.AreEqual(new SignatureVerification.Rejected("content-digest must be signed for a request with a body"), await Verify(request));
    }

    [TestMethod]
    public async Task Signature_without_method_is_rejected()
    {
        var request = Sign(Post(), ["@target-uri", "@authority", "content-digest"], EdKey, "ed25519");

        Assert.AreEqual(new SignatureVerification.Rejected("signature must cover @method and the target URI"), await Verify(request));
    }

    [TestMethod]
    public async Task Expired_signature_is_rejected()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519", created: Now.AddHours(-3), expires: Now.AddHours(-2));

        Assert.AreEqual(new SignatureVerification.Rejected("signature has expired"), await Verify(request));
    }

    [TestMethod]
    public async Task Created_thirteen_hours_ago_is_rejected()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519", created: Now.AddHours(-13));

        Assert.AreEqual(new SignatureVerification.Rejected("signed date is too old"), await Verify(request));
    }

    [TestMethod]
    public async Task Created_two_hours_ahead_is_rejected()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519", created: Now.AddHours(2));

        Assert.AreEqual(new SignatureVerification.Rejected("signed date is too far in the future"), await Verify(request));
    }

    [TestMethod]
    public async Task Changed_body_is_rejected_as_a_content_digest_mismatch()
    {
        var request = Sign(Post(), PostComponents, EdKey, "ed25519") with { Body = Encoding.UTF8.GetBytes("{\"type\":\"Undo\"}") };

        Assert.AreEqual(new SignatureVerification.Rejected("content-digest does not match the body"), await Verify(request));
    }

    [TestMethod]
    public async Task Signature_for_another_authority_does_not_verify()
    {
        var request = Sign(Get(), GetComponents, RsaKey, "rsa-v1_5-sha256") with { Authority = "elsewhere.example" };

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), await Verify(request));
    }

    [TestMethod]
    public async Task A_label_failing_the_policy_is_skipped_for_the_next_one()
    {
        var request = Sign(Post(), ["@method"], EdKey, "ed25519", label: "weak");
        request = Sign(request, PostComponents, RsaKey, "rsa-v1_5-sha256", label: "strong");

        Assert.AreEqual(new SignatureVerification.Verified(RsaKey, HttpSignatureVerifier.Rfc9421Scheme), await Verify(request));
    }

    [TestMethod]
    public async Task Key_rotation_is_followed_once()
    {
        var rotated = RsaKey with { RsaPublicKeyPem = TestKeys.RotatedPublicKeyPem };
        var request = Sign(Get(), GetComponents, rotated, "rsa-v1_5-sha256", privateKeyPem: TestKeys.RotatedPrivateKeyPem);
        var resolver = new FakePublicKeyResolver().Add(RsaKey, afterRefresh: rotated);

        var result = await Verify(request, resolver);

        Assert.AreEqual(new SignatureVerification.Verified(rotated, HttpSignatureVerifier.Rfc9421Scheme), result);
        Assert.AreEqual(1, resolver.Refreshes);
    }

    private static SignatureRequest Post()
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = SignatureRequests.Authority,
            ["date"] = Now.UtcDateTime.ToString("r"),
            ["content-type"] = "application/activity+json",
            ["content-digest"] = Rfc9421TestSigner.ContentDigest(Body),
        };
        return new SignatureRequest("POST", "/inbox", headers, Body, SignatureRequests.Authority);
    }

    private static SignatureRequest Get()
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = SignatureRequests.Authority,
            ["date"] = Now.UtcDateTime.ToString("r"),
        };
        return new SignatureRequest("GET", "/users/bob/followers?page=1", headers, null, SignatureRequests.Authority);
    }

    private static SignatureRequest Sign(
        SignatureRequest request,
        string[] components,
        PublicKeyMaterial key,
        string? alg,
        DateTimeOffset? created = null,
        DateTimeOffset? expires = null,
        string label = "sig1",
        string privateKeyPem = TestKeys.AlicePrivateKeyPem)
    {
        var sign = key.Ed25519PublicKey is not null
            ? Rfc9421TestSigner.Ed25519(TestKeys.Ed25519PrivateKey)
            : Rfc9421TestSigner.RsaPkcs1Sha256(privateKeyPem);
        return Rfc9421TestSigner.Sign(
            request,
            label,
            components,
            key.KeyId,
            (created ?? Now).ToUnixTimeSeconds(),
            alg,
            sign,
            expires?.ToUnixTimeSeconds());
    }

    private static Task<SignatureVerification> Verify(SignatureRequest request, FakePublicKeyResolver? resolver = null) =>
        new HttpSignatureVerifier(resolver ?? new FakePublicKeyResolver().Add(EdKey).Add(RsaKey), new FakeTimeProvider(Now))
            .VerifyAsync(request, CancellationToken.None);
}
