using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>
/// RFC 9421 Appendix B.2 examples over its test request (<c>POST /foo?param=Value&amp;Pet=dog</c> to example.com):
/// B.2.1 (rsa-pss-sha512, no components), B.2.3 (rsa-pss-sha512, full coverage) and B.2.6 (ed25519), with the keys of B.1.2 and B.1.4.
/// </summary>
[TestClass]
public sealed class Rfc9421VectorTests
{
    private const string B21Input = "sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"";

    private const string B21Signature =
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:";

    private const string B23Input =
        "sig-b23=(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"";

    private const string B23Signature =
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:";

    private const string B26Input =
        "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";

    private const string B26Signature =
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1618884473);

    private static readonly PublicKeyMaterial RsaPssKey = new("test-key-rsa-pss", "https://example.com/users/pss", TestKeys.RsaPssPublicKeyPem, null);

    private static readonly PublicKeyMaterial Ed25519Key = new("test-key-ed25519", "https://example.com/users/ed", null, TestKeys.Ed25519PublicKey);

    [TestMethod]
    public void B26_signature_base_is_the_one_printed_in_the_rfc()
    {
        var request = TestRequest(B26Input, B26Signature);

        Assert.AreEqual(
            """
            "date": Tue, 20 Apr 2021 02:07:55 GMT
            "@method": POST
            "@path": /foo
            "@authority": example.com
            "content-type": application/json
            "content-length": 18
            "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"
            """.ReplaceLineEndings("\n"),
            HttpSignatureVerifier.BuildMessageSignatureBase(request, "sig-b26"));
    }

    [TestMethod]
    public void B26_ed25519_signature_verifies_with_the_b14_key()
    {
        Assert.IsTrue(HttpSignatureVerifier.VerifyMessageSignatureWithoutPolicy(TestRequest(B26Input, B26Signature), "sig-b26", Ed25519Key));
        Assert.IsFalse(HttpSignatureVerifier.VerifyMessageSignatureWithoutPolicy(TestRequest(B26Input, B26Signature), "sig-b26", RsaPssKey));
    }

    [TestMethod]
    public void B26_signature_is_what_the_b14_private_key_produces()
    {
        // Ed25519 is deterministic: signing the base with the published private key gives the published signature.
        var signatureBase = HttpSignatureVerifier.BuildMessageSignatureBase(TestRequest(B26Input, B26Signature), "sig-b26")!;

        var signature = Rfc9421TestSigner.Ed25519(TestKeys.Ed25519PrivateKey)(Encoding.UTF8.GetBytes(signatureBase));

        Assert.AreEqual(B26Signature["sig-b26=:".Length..^1], Convert.ToBase64String(signature));
    }

    [TestMethod]
    public async Task B26_is_rejected_by_the_policy_because_it_covers_neither_the_query_nor_the_content_digest()
    {
        var result = await NewVerifier(Created).VerifyAsync(TestRequest(B26Input, B26Signature), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("signature must cover @method and the target URI"), result);
    }

    [TestMethod]
    public void B21_minimal_rsa_pss_signature_verifies_over_the_signature_params_alone()
    {
        var request = TestRequest(B21Input, B21Signature);

        Assert.AreEqual(
            "\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"",
            HttpSignatureVerifier.BuildMessageSignatureBase(request, "sig-b21"));
        Assert.IsTrue(HttpSignatureVerifier.VerifyMessageSignatureWithoutPolicy(request, "sig-b21", RsaPssKey));
    }

    [TestMethod]
    public async Task B23_full_coverage_signature_passes_the_policy_and_its_sha512_content_digest_matches()
    {
        var result = await NewVerifier(Created.AddMinutes(1)).VerifyAsync(TestRequest(B23Input, B23Signature), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Verified(RsaPssKey, HttpSignatureVerifier.Rfc9421Scheme), result);
    }

    [TestMethod]
    public async Task B23_is_rejected_when_the_body_is_changed()
    {
        var request = TestRequest(B23Input, B23Signature) with { Body = Encoding.UTF8.GetBytes("{\"hello\": \"dog\"}") };

        var result = await NewVerifier(Created).VerifyAsync(request, CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("content-digest does not match the body"), result);
    }

    [TestMethod]
    public async Task B23_is_rejected_when_a_covered_header_is_changed()
    {
        var request = TestRequest(B23Input, B23Signature).WithHeader("content-type", "text/plain");

        var result = await NewVerifier(Created, out var resolver).VerifyAsync(request, CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("signature does not verify"), result);
        Assert.AreEqual(1, resolver.Refreshes);
    }

    [TestMethod]
    public async Task The_first_label_that_satisfies_the_policy_is_verified()
    {
        // B.2.6 fails the policy, B.2.3 after it passes: both in one pair of dictionaries, as RFC 9421 §4.3 allows.
        var request = TestRequest(B26Input + ", " + B23Input, B26Signature + ", " + B23Signature);

        var result = await NewVerifier(Created).VerifyAsync(request, CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Verified(RsaPssKey, HttpSignatureVerifier.Rfc9421Scheme), result);
    }

    /// <summary>The test request of RFC 9421 Appendix B.2, with the given Signature-Input and Signature.</summary>
    private static SignatureRequest TestRequest(string signatureInput, string signature)
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "example.com",
            ["date"] = "Tue, 20 Apr 2021 02:07:55 GMT",
            ["content-type"] = "application/json",
            ["content-digest"] = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
            ["content-length"] = "18",
            ["signature-input"] = signatureInput,
            ["signature"] = signature,
        };
        return new SignatureRequest("POST", "/foo?param=Value&Pet=dog", headers, Encoding.UTF8.GetBytes("{\"hello\": \"world\"}"), "example.com");
    }

    private static HttpSignatureVerifier NewVerifier(DateTimeOffset now) => NewVerifier(now, out _);

    private static HttpSignatureVerifier NewVerifier(DateTimeOffset now, out FakePublicKeyResolver resolver)
    {
        resolver = new FakePublicKeyResolver().Add(RsaPssKey).Add(Ed25519Key);
        return new HttpSignatureVerifier(resolver, new FakeTimeProvider(now));
    }
}
