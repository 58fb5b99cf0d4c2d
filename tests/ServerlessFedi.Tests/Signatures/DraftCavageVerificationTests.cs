using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>Our signer's requests through our verifier, and tampered variants, each rejected for its own reason.</summary>
[TestClass]
public sealed class DraftCavageVerificationTests
{
    private const string AliceId = "https://remote.example/users/alice";
    private const string KeyId = AliceId + "#main-key";
    private const string Inbox = "https://social.example.gov/users/bob/inbox";
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"Follow\",\"actor\":\"https://remote.example/users/alice\"}");
    private static readonly PublicKeyMaterial AliceKey = new(KeyId, AliceId, TestKeys.AlicePublicKeyPem, null);
    private static readonly PublicKeyMaterial RotatedKey = new(KeyId, AliceId, TestKeys.RotatedPublicKeyPem, null);

    [TestMethod]
    public async Task Signed_post_verifies()
    {
        var result = await Verify(SignedPost(Now));

        Assert.AreEqual(new SignatureVerification.Verified(AliceKey, HttpSignatureVerifier.DraftCavageScheme), result);
        Assert.IsTrue(HttpSignatureVerifier.IsOwnedBy(((SignatureVerification.Verified)result).Key, AliceId));
    }

    [TestMethod]
    public async Task Signed_get_verifies()
    {
        var result = await Verify(SignedGet("https://social.example.gov/users/bob/outbox?page=true", Now));

        Assert.AreEqual(new SignatureVerification.Verified(AliceKey, HttpSignatureVerifier.DraftCavageScheme), result);
    }

    [TestMethod]
    public void Key_owner_must_be_the_actor()
    {
        Assert.IsTrue(HttpSignatureVerifier.IsOwnedBy(AliceKey, AliceId));
        Assert.IsFalse(HttpSignatureVerifier.IsOwnedBy(AliceKey, "https://remote.example/users/mallory"));
        Assert.IsFalse(HttpSignatureVerifier.IsOwnedBy(AliceKey, "https://remote.example/users/Alice"));
        Assert.IsFalse(HttpSignatureVerifier.IsOwnedBy(AliceKey, string.Empty));
    }

    [TestMethod]
    public async Task Changed_body_is_rejected_as_a_digest_mismatch()
    {
        var request = SignedPost(Now) with { Body = Encoding.UTF8.GetBytes("{\"type\":\"Delete\"}") };

        Assert.AreEqual(new SignatureVerification.Rejected("digest does not match the body"), await Verify(request));
    }

    [TestMethod]
    public async Task Post_whose_signed_list_lacks_the_digest_is_rejected()
    {
        var request = SignedPost(Now);
        request = request.WithHeader("signature", request.Headers["signature"].Replace(" digest\"", "\"", StringComparison.Ordinal));

        Assert.AreEqual(new SignatureVerification.Rejected("digest must be signed for a request with a body"), await Verify(request));
    }

    [TestMethod]
    public async Task Digest_header_may_offer_sha512_and_unknown_algorithms_besides()
    {
        var sha256 = "SHA-256=" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Body));
        var sha512 = "SHA-512=" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(Body));

        Assert.IsNull(await RejectionWithDigest(sha512));
        Assert.IsNull(await RejectionWithDigest("MD5=abc, " + sha256 + ", " + sha512));
        Assert.AreEqual("digest offers neither SHA-256 nor SHA-512", await RejectionWithDigest("MD5=rL0Y20zC+Fzt72VPzMSk2A=="));
        Assert.AreEqual("digest does not match the body", await RejectionWithDigest(sha256 + ",SHA-512=" + Convert.ToBase64String(new byte[64])));
        Assert.AreEqual("digest value is not valid base64", await RejectionWithDigest("SHA-256=***"));
    }

    [TestMethod]
    public async Task Date_thirteen_hours_old_is_rejected()
    {
        Assert.AreEqual(new SignatureVerification.Rejected("signed date is too old"), await Verify(SignedPost(Now.AddHours(-13))));
    }

    [TestMethod]
    public async Task Date_two_hours_ahead_is_rejected()
    {
        Assert.AreEqual(
            new SignatureVerification.Rejected("signed date is too far in the future"),
            await Verify(SignedPost(Now.AddHours(2))));
    }

    [TestMethod]
    [DataRow(-64, true)]
    [DataRow(-66, false)]
    [DataRow(59, true)]
    [DataRow(61, false)]
    public async Task Without_expires_a_date_is_valid_five_minutes_plus_one_hour_of_skew(int minutes, bool accepted)
    {
        var result = await Verify(SignedPost(Now.AddMinutes(minutes)));

        Assert.AreEqual(accepted, result is SignatureVerification.Verified, result.ToString());
    }

    [TestMethod]
    public async Task Get_signed_for_another_host_is_rejected()
    {
        var request = SignedGet("https://other.example/users/bob", Now);

        Assert.AreEqual(new SignatureVerification.Rejected("signed host is not this server"), await Verify(request));
    }

    [TestMethod]
    public async Task Host_is_compared_without_regard_to_case()
    {
        var request = SignedGet("https://social.example.gov/users/bob", Now) with { Authority = "Social.Example.GOV" };

        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(request));
    }

    [TestMethod]
    public async Task Get_that_does_not_sign_the_host_is_rejected()
    {
        var request = SignedGet("https://social.example.gov/users/bob", Now);
        request = request.WithHeader("signature", request.Headers["signature"].Replace(" host", string.Empty, StringComparison.Ordinal));

        Assert.AreEqual(new SignatureVerification.Rejected("host must be signed for a GET request"), await Verify(request));
    }

    [TestMethod]
    public async Task Signature_by_another_key_refreshes_once_then_is_rejected()
    {
        var request = SignedPost(Now, TestKeys.RotatedPrivateKeyPem);
        var resolver = new FakePublicKeyResolver().Add(AliceKey);

        var result = await Verify(request, resolver);

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), result);
        Assert.AreEqual(2, resolver.Lookups);
        Assert.AreEqual(1, resolver.Refreshes);
    }

    [TestMethod]
    public async Task Signature_by_another_key_is_rejected_without_a_refresh_when_the_key_was_just_fetched()
    {
        var request = SignedPost(Now, TestKeys.RotatedPrivateKeyPem);
        var resolver = new FakePublicKeyResolver().Add(AliceKey with { Fetched = true }, afterRefresh: RotatedKey);

        var result = await Verify(request, resolver);

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), result);
        Assert.AreEqual(0, resolver.Refreshes);
    }

    [TestMethod]
    public async Task Rotated_key_is_fetched_again_and_accepted()
    {
        var request = SignedPost(Now, TestKeys.RotatedPrivateKeyPem);
        var resolver = new FakePublicKeyResolver().Add(AliceKey, afterRefresh: RotatedKey);

        var result = await Verify(request, resolver);

        Assert.AreEqual(new SignatureVerification.Verified(RotatedKey, HttpSignatureVerifier.DraftCavageScheme), result);
        Assert.AreEqual(1, resolver.Refreshes);
    }

    [TestMethod]
    public async Task Unknown_key_is_rejected_without_a_refresh()
    {
        var resolver = new FakePublicKeyResolver();

        var result = await Verify(SignedPost(Now), resolver);

        Assert.AreEqual(new SignatureVerification.Rejected($"unknown key {KeyId}"), result);
        Assert.AreEqual(0, resolver.Refreshes);
    }

    [TestMethod]
    public async Task Hs2019_with_an_ed25519_key_verifies()
    {
        var edKey = new PublicKeyMaterial(AliceId + "#ed25519-key", AliceId, null, TestKeys.Ed25519PublicKey);
        var request = SignedByHand(edKey.KeyId, "hs2019", "(request-target) host date digest", Ed25519Sign);

        var result = await Verify(request, new FakePublicKeyResolver().Add(edKey));

        Assert.AreEqual(new SignatureVerification.Verified(edKey, HttpSignatureVerifier.DraftCavageScheme), result);
    }

    [TestMethod]
    public async Task Hs2019_with_an_rsa_key_is_pkcs1_sha256_as_mastodon_does()
    {
        var request = SignedByHand(KeyId, "hs2019", "(request-target) host date digest", Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem));

        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(request));
    }

    [TestMethod]
    public async Task Rsa_sha256_is_not_accepted_from_an_ed25519_key()
    {
        var edKey = new PublicKeyMaterial(AliceId + "#ed25519-key", AliceId, null, TestKeys.Ed25519PublicKey);
        var request = SignedByHand(edKey.KeyId, "rsa-sha256", "(request-target) host date digest", Ed25519Sign);

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), await Verify(request, new FakePublicKeyResolver().Add(edKey)));
    }

    [TestMethod]
    public async Task Hs2019_may_sign_created_instead_of_date()
    {
        var created = Now.ToUnixTimeSeconds();
        var request = SignedByHand(
            KeyId,
            "hs2019",
            "(request-target) (created) host digest",
            Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem),
            $",created={created}",
            $"(created): {created}").WithHeader("date", null);

        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(request));
    }

    [TestMethod]
    public async Task Created_cannot_be_signed_with_rsa_sha256()
    {
        var created = Now.ToUnixTimeSeconds();
        var request = SignedByHand(
            KeyId,
            "rsa-sha256",
            "(request-target) (created) host date digest",
            Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem),
            $",created={created}",
            $"(created): {created}");

        Assert.AreEqual(new SignatureVerification.Rejected("(created) and (expires) cannot be signed with rsa-sha256"), await Verify(request));
    }

    [TestMethod]
    public async Task Signed_expires_in_the_past_is_rejected()
    {
        var created = Now.AddHours(-3).ToUnixTimeSeconds();
        var expires = Now.AddHours(-2).ToUnixTimeSeconds();
        var request = SignedByHand(
            KeyId,
            "hs2019",
            "(request-target) (created) (expires) host digest",
            Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem),
            $",created={created},expires={expires}",
            $"(created): {created}\n(expires): {expires}");

        Assert.AreEqual(new SignatureVerification.Rejected("signature has expired"), await Verify(request));
    }

    [TestMethod]
    public async Task Signed_expires_extends_the_window_up_to_twelve_hours()
    {
        var created = Now.AddHours(-6).ToUnixTimeSeconds();
        var expires = Now.AddHours(1).ToUnixTimeSeconds();
        var request = SignedByHand(
            KeyId,
            "hs2019",
            "(request-target) (created) (expires) host digest",
            Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem),
            $",created={created},expires={expires}",
            $"(created): {created}\n(expires): {expires}");

        Assert.IsInstanceOfType<SignatureVerification.Verified>(await Verify(request));
    }

    [TestMethod]
    public async Task Request_target_without_the_query_is_accepted_as_mastodon_does()
    {
        // Fedify and older Mastodon sign (request-target) with the path alone.
        var signer = Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem);
        var date = Now.UtcDateTime.ToString("r");
        var signingString = $"(request-target): get /users/bob/outbox\nhost: social.example.gov\ndate: {date}";
        var signature = Convert.ToBase64String(signer(Encoding.UTF8.GetBytes(signingString)));
        var headers = new Dictionary<string, string>
        {
            ["host"] = "social.example.gov",
            ["date"] = date,
            ["signature"] = $"keyId=\"{KeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{signature}\"",
        };

        var result = await Verify(new SignatureRequest("GET", "/users/bob/outbox?page=true", headers, null, SignatureRequests.Authority));

        Assert.IsInstanceOfType<SignatureVerification.Verified>(result);
    }

    [TestMethod]
    public async Task Unsupported_algorithm_is_rejected()
    {
        var request = SignedPost(Now);
        request = request.WithHeader("signature", request.Headers["signature"].Replace("rsa-sha256", "hmac-sha256", StringComparison.Ordinal));

        Assert.AreEqual(new SignatureVerification.Rejected("signature algorithm is not supported"), await Verify(request));
    }

    [TestMethod]
    public async Task Request_without_any_signature_is_rejected()
    {
        var request = SignedPost(Now).WithHeader("signature", null);

        Assert.AreEqual(new SignatureVerification.Rejected("no signature"), await Verify(request));
    }

    /// <summary>The rejection reason for a POST whose signed Digest header is <paramref name="digestHeader"/>, null when verified.</summary>
    private static async Task<string?> RejectionWithDigest(string digestHeader)
    {
        var date = Now.UtcDateTime.ToString("r");
        var signingString = $"(request-target): post /users/bob/inbox\nhost: social.example.gov\ndate: {date}\ndigest: {digestHeader}";
        var signature = Convert.ToBase64String(Rfc9421TestSigner.RsaPkcs1Sha256(TestKeys.AlicePrivateKeyPem)(Encoding.UTF8.GetBytes(signingString)));
        var headers = new Dictionary<string, string>
        {
            ["host"] = "social.example.gov",
            ["date"] = date,
            ["digest"] = digestHeader,
            ["signature"] = $"keyId=\"{KeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{signature}\"",
        };
        var result = await Verify(new SignatureRequest("POST", "/users/bob/inbox", headers, Body, SignatureRequests.Authority));
        return result is SignatureVerification.Rejected rejected ? rejected.Reason : null;
    }

    private static SignatureRequest SignedPost(DateTimeOffset at, string privateKeyPem = TestKeys.AlicePrivateKeyPem)
    {
        using var message = HttpSignatureSignerTests.Post(Inbox, Body);
        new HttpSignatureSigner().Sign(message, Body, new SigningKey(KeyId, privateKeyPem), at);
        return SignatureRequests.From(message, Body);
    }

    private static SignatureRequest SignedGet(string uri, DateTimeOffset at)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        new HttpSignatureSigner().Sign(message, null, new SigningKey(KeyId, TestKeys.AlicePrivateKeyPem), at);
        return SignatureRequests.From(message, null);
    }

    /// <summary>A POST to the inbox signed over <paramref name="headers"/> by <paramref name="sign"/>, for algorithms our signer does not produce.</summary>
    private static SignatureRequest SignedByHand(
        string keyId,
        string algorithm,
        string headers,
        Func<byte[], byte[]> sign,
        string extraParameters = "",
        string? pseudoHeaderLines = null)
    {
        var date = Now.UtcDateTime.ToString("r");
        var digest = "SHA-256=" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Body));
        var values = new Dictionary<string, string>
        {
            ["(request-target)"] = "post /users/bob/inbox",
            ["host"] = "social.example.gov",
            ["date"] = date,
            ["digest"] = digest,
        };
        var lines = new List<string>();
        foreach (var name in headers.Split(' '))
        {
            if (values.TryGetValue(name, out var value))
            {
                lines.Add($"{name}: {value}");
            }
            else if (name == "(created)")
            {
                lines.Add(pseudoHeaderLines!.Split('\n')[0]);
            }
            else if (name == "(expires)")
            {
                lines.Add(pseudoHeaderLines!.Split('\n')[1]);
            }
        }

        var signature = Convert.ToBase64String(sign(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
        var requestHeaders = new Dictionary<string, string>
        {
            ["host"] = "social.example.gov",
            ["date"] = date,
            ["digest"] = digest,
            ["content-type"] = "application/activity+json",
            ["signature"] = $"keyId=\"{keyId}\",algorithm=\"{algorithm}\",headers=\"{headers}\",signature=\"{signature}\"{extraParameters}",
        };
        return new SignatureRequest("POST", "/users/bob/inbox", requestHeaders, Body, SignatureRequests.Authority);
    }

    private static byte[] Ed25519Sign(byte[] data) => Rfc9421TestSigner.Ed25519(TestKeys.Ed25519PrivateKey)(data);

    private static Task<SignatureVerification> Verify(SignatureRequest request, FakePublicKeyResolver? resolver = null) =>
        new HttpSignatureVerifier(resolver ?? new FakePublicKeyResolver().Add(AliceKey), new FakeTimeProvider(Now))
            .VerifyAsync(request, CancellationToken.None);
}
