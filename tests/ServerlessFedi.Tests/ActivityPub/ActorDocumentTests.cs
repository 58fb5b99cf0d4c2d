using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ServerlessFedi.Accounts;
using ServerlessFedi.Crypto;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.ActivityPub;

/// <summary>The actor document by content negotiation, checked field by field against what Mastodon emits.</summary>
[TestClass]
public sealed class ActorDocumentTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("Alice", ActorType.Organization, "Alice Agency");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<HttpResponseMessage> Get(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await _instance.Http.SendAsync(request);
    }

    [TestMethod]
    [DataRow("application/activity+json")]
    [DataRow("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")]
    [DataRow("application/json")]
    [DataRow("application/activity+json, application/ld+json")]
    public async Task Federation_clients_get_the_actor_as_ActivityStreams(string accept)
    {
        var response = await Get("/users/alice", accept);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/activity+json", response.Content.Headers.ContentType!.MediaType);
        Assert.IsTrue(response.Headers.Vary.Contains("Accept"));
    }

    [TestMethod]
    public async Task The_actor_has_every_field_Mastodon_reads()
    {
        var actor = JsonDocument.Parse(await (await Get("/users/alice", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;
        var id = $"{_instance.BaseUrl}/users/Alice";

        Assert.AreEqual(id, actor.GetProperty("id").GetString());
        Assert.AreEqual("Organization", actor.GetProperty("type").GetString());
        Assert.AreEqual("Alice", actor.GetProperty("preferredUsername").GetString());
        Assert.AreEqual("Alice Agency", actor.GetProperty("name").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/@Alice", actor.GetProperty("url").GetString());
        Assert.AreEqual($"{id}/inbox", actor.GetProperty("inbox").GetString());
        Assert.AreEqual($"{id}/outbox", actor.GetProperty("outbox").GetString());
        Assert.AreEqual($"{id}/followers", actor.GetProperty("followers").GetString());
        Assert.AreEqual($"{id}/following", actor.GetProperty("following").GetString());
        Assert.AreEqual($"{id}/collections/featured", actor.GetProperty("featured").GetString());
        Assert.AreEqual($"{id}/collections/tags", actor.GetProperty("featuredTags").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/inbox", actor.GetProperty("endpoints").GetProperty("sharedInbox").GetString());
        Assert.IsFalse(actor.GetProperty("manuallyApprovesFollowers").GetBoolean());
        Assert.IsTrue(actor.GetProperty("discoverable").GetBoolean());
        Assert.IsTrue(actor.GetProperty("indexable").GetBoolean());
        Assert.AreEqual(_alice.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), actor.GetProperty("published").GetString());
        Assert.AreEqual("", actor.GetProperty("summary").GetString());
    }

    [TestMethod]
    public async Task The_context_defines_every_extension_term_used()
    {
        var actor = JsonDocument.Parse(await (await Get("/users/alice", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;
        var context = actor.GetProperty("@context").EnumerateArray().ToList();
        var urls = context.Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()).ToList();
        var inline = context.Single(c => c.ValueKind == JsonValueKind.Object);

        CollectionAssert.AreEqual(new[] { "https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1" }, urls);
        foreach (var term in new[] { "manuallyApprovesFollowers", "featured", "discoverable", "indexable", "memorial" })
        {
            Assert.IsTrue(inline.TryGetProperty(term, out _), $"@context does not define {term}");
        }
    }

    [TestMethod]
    public async Task The_public_key_is_the_stored_RSA_key_owned_by_the_actor()
    {
        var actor = JsonDocument.Parse(await (await Get("/users/alice", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;
        var key = actor.GetProperty("publicKey");

        Assert.AreEqual($"{_instance.BaseUrl}/users/Alice#main-key", key.GetProperty("id").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/Alice", key.GetProperty("owner").GetString());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        Assert.AreEqual(2048, rsa.KeySize);
        using var priv = RSA.Create();
        priv.ImportFromPem(_alice.RsaPrivateKeyPem);
        var data = "signed by alice"u8.ToArray();
        Assert.IsTrue(rsa.VerifyData(data, priv.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [TestMethod]
    public async Task The_assertion_method_is_the_Ed25519_Multikey_of_FEP_521a()
    {
        var actor = JsonDocument.Parse(await (await Get("/users/alice", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;
        var method = actor.GetProperty("assertionMethod")[0];

        Assert.AreEqual("Multikey", method.GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/Alice", method.GetProperty("controller").GetString());
        Assert.StartsWith($"{_instance.BaseUrl}/users/Alice#", method.GetProperty("id").GetString()!);
        Assert.AreEqual(ActorKeys.ToMultibase(_alice.Ed25519PublicKey), method.GetProperty("publicKeyMultibase").GetString());
        Assert.StartsWith("z6Mk", method.GetProperty("publicKeyMultibase").GetString()!);
    }

    [TestMethod]
    [DataRow("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [DataRow("text/html")]
    [DataRow("*/*")]
    [DataRow("application/activity+json;q=0.5, text/html")]
    public async Task Browsers_are_sent_to_the_profile_page(string accept)
    {
        var response = await Get("/users/alice", accept);

        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.AreEqual($"{_instance.BaseUrl}/@Alice", response.Headers.Location!.ToString());
    }

    [TestMethod]
    public async Task An_unknown_or_invalid_username_gives_404()
    {
        Assert.AreEqual(HttpStatusCode.NotFound, (await Get("/users/nobody", "application/activity+json")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Get("/users/al%20ice", "application/activity+json")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Get("/users/" + new string('a', 40), "application/activity+json")).StatusCode);
    }

    [TestMethod]
    public async Task The_instance_actor_is_an_Application_with_a_stable_key()
    {
        var first = JsonDocument.Parse(await (await Get("/actor", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;
        var second = JsonDocument.Parse(await (await Get("/actor", "application/activity+json")).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual("Application", first.GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/actor", first.GetProperty("id").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/actor#main-key", first.GetProperty("publicKey").GetProperty("id").GetString());
        Assert.AreEqual(new Uri(_instance.BaseUrl).Authority, first.GetProperty("preferredUsername").GetString());
        Assert.AreEqual(first.GetProperty("publicKey").GetProperty("publicKeyPem").GetString(), second.GetProperty("publicKey").GetProperty("publicKeyPem").GetString());
    }

    [TestMethod]
    public async Task Public_urls_come_from_configuration_not_from_the_Host_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/alice");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        request.Headers.Host = "evil.example";

        var actor = JsonDocument.Parse(await (await _instance.Http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        Assert.AreEqual($"{_instance.BaseUrl}/users/Alice", actor.GetProperty("id").GetString());
    }
}
