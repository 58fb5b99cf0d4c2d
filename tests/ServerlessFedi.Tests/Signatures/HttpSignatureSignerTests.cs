using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

[TestClass]
public sealed class HttpSignatureSignerTests
{
    private const string KeyId = "https://remote.example/users/alice#main-key";
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
    private static readonly SigningKey Alice = new(KeyId, TestKeys.AlicePrivateKeyPem);

    [TestMethod]
    public void Post_is_signed_over_request_target_host_date_and_digest()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"Follow\"}");
        using var request = Post("https://social.example.gov/users/bob/inbox", body);

        new HttpSignatureSigner().Sign(request, body, Alice, Now);

        Assert.AreEqual("social.example.gov", request.Headers.Host);
        Assert.AreEqual("Fri, 14 Mar 2025 15:09:26 GMT", Single(request, "Date"));
        Assert.AreEqual("SHA-256=" + Convert.ToBase64String(SHA256.HashData(body)), Single(request, "Digest"));
        Assert.AreEqual("application/activity+json", request.Content!.Headers.ContentType!.MediaType);
        Assert.MatchesRegex(
            "^keyId=\"https://remote\\.example/users/alice#main-key\",algorithm=\"rsa-sha256\",headers=\"\\(request-target\\) host date digest\",signature=\"[A-Za-z0-9+/]{342}==\"$",
            Single(request, "Signature"));
    }

    [TestMethod]
    public void Get_is_signed_over_request_target_host_and_date_without_a_digest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://social.example.gov/users/bob?page=2");

        new HttpSignatureSigner().Sign(request, null, Alice, Now);

        Assert.IsFalse(request.Headers.Contains("Digest"));
        StringAssert.Contains(Single(request, "Signature"), "headers=\"(request-target) host date\"");
    }

    [TestMethod]
    [DataRow("https://social.example.gov:8443/inbox", "social.example.gov:8443")]
    [DataRow("https://social.example.gov:443/inbox", "social.example.gov")]
    [DataRow("http://localhost:7071/inbox", "localhost:7071")]
    [DataRow("https://BÜCHER.example/inbox", "xn--bcher-kva.example")]
    public void Host_is_the_uri_authority_with_a_port_only_when_not_the_default(string uri, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        new HttpSignatureSigner().Sign(request, null, Alice, Now);

        Assert.AreEqual(host, request.Headers.Host);
    }

    [TestMethod]
    public void Signing_again_replaces_the_previous_headers()
    {
        var body = "{}"u8.ToArray();
        using var request = Post("https://social.example.gov/inbox", body);
        var signer = new HttpSignatureSigner();

        signer.Sign(request, body, Alice, Now);
        signer.Sign(request, body, Alice, Now.AddMinutes(1));

        Assert.AreEqual("Fri, 14 Mar 2025 15:10:26 GMT", Single(request, "Date"));
        Assert.HasCount(1, request.Headers.GetValues("Signature"));
    }

    [TestMethod]
    public void Signatures_are_deterministic_and_the_key_is_reused_across_calls_and_threads()
    {
        var body = "{}"u8.ToArray();
        var signer = new HttpSignatureSigner();
        var signatures = new string[64];

        Parallel.For(0, signatures.Length, i =>
        {
            using var request = Post("https://social.example.gov/inbox", body);
            signer.Sign(request, body, Alice, Now);
            signatures[i] = Single(request, "Signature");
        });

        Assert.HasCount(1, signatures.Distinct());
    }

    [TestMethod]
    public void Signing_key_signer_signs_at_the_time_of_its_clock()
    {
        var time = new FakeTimeProvider(Now);
        var signer = new SigningKeySigner(Alice, time);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://social.example.gov/users/bob");

        time.Advance(TimeSpan.FromHours(2));
        signer.Sign(request, null);

        Assert.AreEqual("Fri, 14 Mar 2025 17:09:26 GMT", Single(request, "Date"));
        StringAssert.StartsWith(Single(request, "Signature"), $"keyId=\"{KeyId}\"");
    }

    [TestMethod]
    public void A_relative_uri_cannot_be_signed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/bob");

        Assert.ThrowsExactly<ArgumentException>(() => new HttpSignatureSigner().Sign(request, null, Alice, Now));
    }

    internal static HttpRequestMessage Post(string uri, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/activity+json");
        return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
    }

    private static string Single(HttpRequestMessage request, string header) => request.Headers.NonValidated[header].Single();
}
