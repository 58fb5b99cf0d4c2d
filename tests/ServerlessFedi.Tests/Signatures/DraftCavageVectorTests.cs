using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>
/// The test values of draft-cavage-http-signatures-12 Appendix C: the key "Test" and the request
/// <c>POST /foo?param=value&amp;pet=dog</c> of Appendix C, with the Default (C.1), Basic (C.2) and All Headers (C.3) signatures.
/// The signature maths is checked without policy; the policy is then applied to the same requests at their date.
/// </summary>
[TestClass]
public sealed class DraftCavageVectorTests
{
    private const string KeyId = "Test";
    private const string Body = "{\"hello\": \"world\"}";

    private const string DefaultSignature =
        "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=";

    private const string BasicSignature =
        "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=";

    private const string AllHeadersSignature =
        "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE=";

    private const string DefaultHeader = $"keyId=\"{KeyId}\",algorithm=\"rsa-sha256\",signature=\"{DefaultSignature}\"";

    private const string BasicHeader =
        $"keyId=\"{KeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{BasicSignature}\"";

    private const string AllHeadersHeader =
        $"keyId=\"{KeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date content-type digest content-length\",signature=\"{AllHeadersSignature}\"";

    private static readonly DateTimeOffset RequestDate = new(2014, 1, 5, 21, 31, 40, TimeSpan.Zero);

    private static readonly PublicKeyMaterial TestKey = new(KeyId, "https://example.com/users/test", TestKeys.CavagePublicKeyPem, null);

    [TestMethod]
    public void Default_test_signs_the_date_alone_and_its_signature_verifies()
    {
        var request = AppendixCRequest(DefaultHeader);

        Assert.AreEqual("date: Sun, 05 Jan 2014 21:31:40 GMT", HttpSignatureVerifier.BuildCavageSigningString(request, DefaultHeader));
        Assert.IsTrue(HttpSignatureVerifier.VerifyCavageWithoutPolicy(request, DefaultHeader, TestKey));
    }

    [TestMethod]
    public void Basic_test_signature_verifies_over_request_target_host_and_date()
    {
        var request = AppendixCRequest(BasicHeader);

        Assert.AreEqual(
            "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT",
            HttpSignatureVerifier.BuildCavageSigningString(request, BasicHeader));
        Assert.IsTrue(HttpSignatureVerifier.VerifyCavageWithoutPolicy(request, BasicHeader, TestKey));
    }

    [TestMethod]
    public void All_headers_test_signature_verifies_with_the_query_in_the_request_target()
    {
        var request = AppendixCRequest(AllHeadersHeader);

        Assert.AreEqual(
            """
            (request-target): post /foo?param=value&pet=dog
            host: example.com
            date: Sun, 05 Jan 2014 21:31:40 GMT
            content-type: application/json
            digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=
            content-length: 18
            """.ReplaceLineEndings("\n"),
            HttpSignatureVerifier.BuildCavageSigningString(request, AllHeadersHeader));
        Assert.IsTrue(HttpSignatureVerifier.VerifyCavageWithoutPolicy(request, AllHeadersHeader, TestKey));
    }

    [TestMethod]
    public void Vector_signatures_do_not_verify_over_a_changed_request()
    {
        var request = AppendixCRequest(AllHeadersHeader).WithHeader("content-length", "19");

        Assert.IsFalse(HttpSignatureVerifier.VerifyCavageWithoutPolicy(request, AllHeadersHeader, TestKey));
        Assert.IsFalse(HttpSignatureVerifier.VerifyCavageWithoutPolicy(request with { Method = "PUT" }, BasicHeader, TestKey));
    }

    [TestMethod]
    public void The_pkcs1_test_private_key_reproduces_the_default_test_signature()
    {
        // RSASSA-PKCS1-v1_5 is deterministic: the published private key, imported from PKCS#1 PEM as our signer does, gives the published bytes.
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.CavagePrivateKeyPem);

        var signature = rsa.SignData(Encoding.UTF8.GetBytes("date: Sun, 05 Jan 2014 21:31:40 GMT"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.AreEqual(DefaultSignature, Convert.ToBase64String(signature));
    }

    [TestMethod]
    public async Task Policy_rejects_the_default_test_that_signs_neither_target_nor_digest()
    {
        var verifier = NewVerifier(RequestDate.AddMinutes(1), out var resolver);

        var result = await verifier.VerifyAsync(AppendixCRequest(DefaultHeader), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("(request-target) must be signed"), result);
        Assert.AreEqual(0, resolver.Lookups, "the policy is checked before any key is fetched");
    }

    [TestMethod]
    public async Task Policy_rejects_the_basic_test_whose_post_body_digest_is_not_signed()
    {
        var result = await NewVerifier(RequestDate.AddMinutes(1)).VerifyAsync(AppendixCRequest(BasicHeader), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("digest must be signed for a request with a body"), result);
    }

    [TestMethod]
    public async Task Policy_accepts_the_all_headers_test_with_its_matching_digest()
    {
        var result = await NewVerifier(RequestDate.AddMinutes(1)).VerifyAsync(AppendixCRequest(AllHeadersHeader), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Verified(TestKey, HttpSignatureVerifier.DraftCavageScheme), result);
    }

    [TestMethod]
    public async Task All_headers_test_is_accepted_from_an_authorization_header()
    {
        var request = AppendixCRequest(null).WithHeader("authorization", "Signature " + AllHeadersHeader);

        var result = await NewVerifier(RequestDate.AddMinutes(1)).VerifyAsync(request, CancellationToken.None);

        Assert.IsInstanceOfType<SignatureVerification.Verified>(result);
    }

    [TestMethod]
    public async Task All_headers_test_is_rejected_a_day_later()
    {
        var result = await NewVerifier(RequestDate.AddDays(1)).VerifyAsync(AppendixCRequest(AllHeadersHeader), CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("signed date is too old"), result);
    }

    [TestMethod]
    public async Task All_headers_test_is_rejected_when_the_body_differs_from_the_digest()
    {
        var request = AppendixCRequest(AllHeadersHeader) with { Body = Encoding.UTF8.GetBytes("{\"hello\": \"World\"}") };

        var result = await NewVerifier(RequestDate).VerifyAsync(request, CancellationToken.None);

        Assert.AreEqual(new SignatureVerification.Rejected("digest does not match the body"), result);
    }

    /// <summary>The Appendix C request: POST /foo?param=value&amp;pet=dog to example.com with a JSON body.</summary>
    private static SignatureRequest AppendixCRequest(string? signature)
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "example.com",
            ["date"] = "Sun, 05 Jan 2014 21:31:40 GMT",
            ["content-type"] = "application/json",
            ["digest"] = "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
            ["content-length"] = "18",
        };
        if (signature is not null)
        {
            headers["signature"] = signature;
        }

        return new SignatureRequest("POST", "/foo?param=value&pet=dog", headers, Encoding.UTF8.GetBytes(Body), "example.com");
    }

    private static HttpSignatureVerifier NewVerifier(DateTimeOffset now) => NewVerifier(now, out _);

    private static HttpSignatureVerifier NewVerifier(DateTimeOffset now, out FakePublicKeyResolver resolver)
    {
        resolver = new FakePublicKeyResolver().Add(TestKey);
        return new HttpSignatureVerifier(resolver, new FakeTimeProvider(now));
    }
}
