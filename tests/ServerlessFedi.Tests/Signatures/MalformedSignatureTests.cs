using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>Garbage in signature headers is rejected with a reason, never thrown, and never reaches the key resolver.</summary>
[TestClass]
public sealed class MalformedSignatureTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    [TestMethod]
    [DataRow("", "signature header is malformed")]
    [DataRow("   ", "signature header is malformed")]
    [DataRow("keyId=", "signature header is malformed")]
    [DataRow("keyId=\"https://remote.example/users/a#main-key", "signature header is malformed")]
    [DataRow("keyId=\"k\",signature=\"abc", "signature header is malformed")]
    [DataRow("keyId=\"k\",,signature=\"abcd\"", "signature header is malformed")]
    [DataRow("keyId=\"k\",signature=\"abcd\",", "signature header is malformed")]
    [DataRow("keyId=\"a\",keyId=\"b\",signature=\"abcd\"", "signature header is malformed")]
    [DataRow("keyId=\"k\" signature=\"abcd\"", "signature header is malformed")]
    [DataRow("\"keyId\"=\"k\"", "signature header is malformed")]
    [DataRow("signature=\"abcd\"", "signature header has no keyId")]
    [DataRow("keyId=\"\",signature=\"abcd\"", "signature header has no keyId")]
    [DataRow("keyId=\"k\"", "signature header has no signature")]
    [DataRow("keyId=\"k\",signature=\"not base64!\"", "signature is not valid base64")]
    [DataRow("keyId=\"k\",signature=\"abc\"", "signature is not valid base64")]
    [DataRow("keyId=\"k\",headers=\"\",signature=\"abcd\"", "signature headers list is empty")]
    [DataRow("keyId=\"k\",algorithm=\"rsa-sha512\",headers=\"(request-target) host date digest\",signature=\"abcd\"", "signature algorithm is not supported")]
    public async Task Malformed_draft_signature_is_rejected_with_its_reason(string header, string reason)
    {
        var resolver = new FakePublicKeyResolver();

        var result = await Verify(Request("signature", header), resolver);

        Assert.AreEqual(new SignatureVerification.Rejected(reason), result);
        Assert.AreEqual(0, resolver.Lookups);
    }

    [TestMethod]
    public async Task Ten_kilobyte_signature_header_is_rejected()
    {
        var header = "keyId=\"" + new string('k', 10 * 1024) + "\",signature=\"abcd\"";

        Assert.AreEqual(new SignatureVerification.Rejected("signature header is too long"), await Verify(Request("signature", header)));
    }

    [TestMethod]
    public async Task Ten_kilobyte_signature_input_is_rejected()
    {
        var request = Request("signature-input", "sig1=(" + string.Concat(Enumerable.Repeat("\"date\" ", 1500)) + ");keyid=\"k\"")
            .WithHeader("signature", "sig1=:abcd:");

        Assert.AreEqual(new SignatureVerification.Rejected("signature header is too long"), await Verify(request));
    }

    [TestMethod]
    public async Task Key_id_over_2048_characters_is_rejected_before_any_lookup()
    {
        var header = "keyId=\"https://remote.example/" + new string('a', 3000) + "\",signature=\"abcd\"";

        Assert.AreEqual(new SignatureVerification.Rejected("signature keyId is too long"), await Verify(Request("signature", header)));
    }

    [TestMethod]
    public async Task Unknown_key_reason_quotes_a_long_key_id_only_in_part()
    {
        var keyId = "https://remote.example/" + new string('a', 1500) + "\n<script>";
        var header = $"keyId=\"{keyId}\",algorithm=\"hs2019\",headers=\"(request-target) host date digest\",signature=\"abcd\"";

        var result = (SignatureVerification.Rejected)await Verify(Request("signature", header));

        StringAssert.StartsWith(result.Reason, "unknown key https://remote.example/aaa");
        Assert.IsLessThan(220, result.Reason.Length);
    }

    [TestMethod]
    [DataRow("sig1=(", "signature-input header is malformed")]
    [DataRow("sig1=(\"@method\" \"@target-uri\";created=abc", "signature-input header is malformed")]
    [DataRow("sig1=(\"@method\");created=1;keyid=\"k\", ", "signature-input header is malformed")]
    [DataRow("Sig1=(\"@method\")", "signature-input header is malformed")]
    [DataRow("sig1=:abcd:", "signature-input header is malformed")]
    [DataRow("sig1=(\"@method\" \"\u00e9\")", "signature-input header is malformed")]
    [DataRow("sig1=(\"@method\");created=12345678901234567", "signature-input header is malformed")]
    [DataRow("sig2=(\"@method\");created=1;keyid=\"k\"", "signature has no value for label sig2")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\");created=1;keyid=\"k\";alg=\"hmac-sha256\"", "signature algorithm hmac-sha256 is not supported")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\");created=1;keyid=\"k\";alg=ed25519", "signature-input alg is malformed")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\");created=1.5;keyid=\"k\"", "signature-input created and expires must be integers")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\");created=1", "signature-input has no valid keyid")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\");keyid=k", "signature-input has no valid keyid")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"@query-param\";name=\"a\");created=1;keyid=\"k\"", "signature covers an unsupported component")]
    [DataRow("sig1=(\"@method\" \"@method\" \"@target-uri\" \"@authority\");created=1;keyid=\"k\"", "signature covers a component twice")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"@status\");created=1741964966;keyid=\"k\"", "signature covers unsupported component @status")]
    [DataRow("sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"x-missing\");created=1741964966;keyid=\"k\"", "signed header x-missing is missing")]
    public async Task Malformed_message_signature_is_rejected_with_its_reason(string signatureInput, string reason)
    {
        var resolver = new FakePublicKeyResolver();
        var request = Request("signature-input", signatureInput).WithHeader("signature", "sig1=:abcd:");

        var result = await Verify(request, resolver);

        Assert.AreEqual(new SignatureVerification.Rejected(reason), result);
        Assert.AreEqual(0, resolver.Lookups);
    }

    [TestMethod]
    [DataRow("sig1=abcd")]
    [DataRow("sig1=:not base64:")]
    [DataRow("sig1=:abcd")]
    [DataRow("sig1=(:abcd:)")]
    public async Task Malformed_signature_dictionary_is_rejected(string signature)
    {
        var request = Request("signature-input", "sig1=(\"@method\" \"@target-uri\" \"@authority\");created=1741964966;keyid=\"k\"")
            .WithHeader("signature", signature);

        Assert.IsInstanceOfType<SignatureVerification.Rejected>(await Verify(request));
    }

    [TestMethod]
    public async Task Seeded_random_headers_never_throw_and_are_rejected()
    {
        // Fragments of both syntaxes, recombined at random: the parsers must reject every one without an exception.
        string[] fragments =
        [
            "keyId=", "\"", "sig1=", "(", ")", ":", ";", ",", " ", "=", "\\", "\"@method\"", "\"date\"", "created=", "1741964966", "-",
            "keyid=\"k\"", "headers=\"(request-target) host date digest\"", "signature=\"", "abcd", "==", "alg=\"ed25519\"", "?1", "*", "\t",
            "expires=", "99999999999999999999", "1.5", "\u00ff", "\0", "algorithm=\"hs2019\"",
        ];
        var random = new Random(20250314);
        for (var i = 0; i < 3000; i++)
        {
            var builder = new StringBuilder();
            for (var count = random.Next(1, 24); count > 0; count--)
            {
                builder.Append(fragments[random.Next(fragments.Length)]);
            }

            var value = builder.ToString();
            var draft = await Verify(Request("signature", value));
            var message = await Verify(Request("signature-input", value).WithHeader("signature", value));
            var authorization = await Verify(Request("authorization", "Signature " + value));

            Assert.IsInstanceOfType<SignatureVerification.Rejected>(draft, value);
            Assert.IsInstanceOfType<SignatureVerification.Rejected>(message, value);
            Assert.IsInstanceOfType<SignatureVerification.Rejected>(authorization, value);
        }
    }

    [TestMethod]
    [DataRow("(request-target) host date digest", "date", "Friday", "date header is missing or invalid")]
    [DataRow("(request-target) host date digest", "date", null, "date header is missing or invalid")]
    [DataRow("(request-target) (created) host digest", "date", null, "(created) is signed but created is missing or invalid")]
    [DataRow("(request-target) host date digest", "digest", null, "digest header is missing")]
    [DataRow("(request-target) host date digest content-type", "content-type", null, "signed header content-type is missing")]
    [DataRow("(request-target) host date digest", "host", "evil.example", "signed host is not this server")]
    public async Task Unusable_signed_values_are_rejected(string signedHeaders, string header, string? value, string reason)
    {
        var request = Request("signature", $"keyId=\"k\",algorithm=\"hs2019\",headers=\"{signedHeaders}\",signature=\"abcd\"")
            .WithHeader(header, value);

        Assert.AreEqual(new SignatureVerification.Rejected(reason), await Verify(request));
    }

    private static SignatureRequest Request(string header, string value)
    {
        var body = "{}"u8.ToArray();
        var headers = new Dictionary<string, string>
        {
            ["host"] = SignatureRequests.Authority,
            ["date"] = Now.UtcDateTime.ToString("r"),
            ["digest"] = "SHA-256=" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(body)),
            ["content-digest"] = Rfc9421TestSigner.ContentDigest(body),
            [header] = value,
        };
        return new SignatureRequest("POST", "/inbox", headers, body, SignatureRequests.Authority);
    }

    private static Task<SignatureVerification> Verify(SignatureRequest request, FakePublicKeyResolver? resolver = null) =>
        new HttpSignatureVerifier(resolver ?? new FakePublicKeyResolver(), new FakeTimeProvider(Now)).VerifyAsync(request, CancellationToken.None);
}
