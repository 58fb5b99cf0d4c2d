using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Signatures;
using ServerlessFedi.Tests.Signatures;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// An activity admitted on its FEP-8b32 proof rather than on its actor's HTTP signature (relayed or forwarded) has no
/// signature time window of its own, so the proof's <c>created</c> bounds it (issue 11, finding 6): an old proof, or one
/// from the future, admits nothing, and a proven activity replayed within the window is recognised as seen even across
/// midnight (the duplicate check's rows are per UTC day). The receiver runs on a fake clock over Azurite.
/// </summary>
[TestClass]
public sealed class ProofFreshnessTests : IAsyncDisposable
{
    private const string Relay = "https://relay.example/actor";
    private const string Carol = "https://social.carol.example/users/carol";

    private static readonly HttpSignatureSigner Signer = new();

    private FederationCore _core = null!;
    private InboxReceiver _receiver = null!;

    [TestInitialize]
    public void Setup()
    {
        _core = new FederationCore();
        var keys = new StaticKeyResolver(
            new PublicKeyMaterial(Relay + "#main-key", Relay, TestKeys.CavagePublicKeyPem, null),
            new PublicKeyMaterial(Carol + "#ed25519-key", Carol, null, TestKeys.Ed25519PublicKey),
            new PublicKeyMaterial(Carol + "#main-key", Carol, TestKeys.CavagePublicKeyPem, null));
        _receiver = new InboxReceiver(
            _core.Services.Accounts,
            new HttpSignatureVerifier(keys, _core.Time),
            new ObjectProofVerifier(keys, _core.Time),
            new InboxSeenStore(_core.Services.Tables),
            _core.Payloads,
            _core.Work,
            _core.Services.Urls,
            _core.Time,
            NullLogger<InboxReceiver>.Instance,
            new RemoteActorStore(_core.Services.Tables));
    }

    public async ValueTask DisposeAsync() => await _core.DisposeAsync();

    [TestMethod]
    public async Task A_relayed_activity_whose_proof_is_older_than_the_window_is_refused()
    {
        var like = Proved(Like("old"), _core.Time.GetUtcNow() - TimeSpan.FromHours(14));

        var result = await PostAsync(like, Relay);

        Assert.AreEqual(StatusCodes.Status401Unauthorized, result.Status, result.BodyText);
        StringAssert.StartsWith(Error(result), "object integrity proof: ");
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Inbox), "a refused activity is not queued");
    }

    [TestMethod]
    public async Task A_relayed_activity_whose_proof_is_dated_in_the_future_is_refused()
    {
        var like = Proved(Like("future"), _core.Time.GetUtcNow() + TimeSpan.FromHours(2));

        var result = await PostAsync(like, Relay);

        Assert.AreEqual(StatusCodes.Status401Unauthorized, result.Status, result.BodyText);
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Inbox));
    }

    [TestMethod]
    public async Task A_relayed_activity_without_a_proof_creation_time_is_refused()
    {
        var like = WithUndatedProof(Like("undated"));

        var result = await PostAsync(like, Relay);

        Assert.AreEqual(StatusCodes.Status401Unauthorized, result.Status, result.BodyText);
    }

    [TestMethod]
    public async Task A_fresh_relayed_activity_replayed_after_midnight_is_recognised_as_seen()
    {
        _core.Time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 23, 50, 0, TimeSpan.Zero));
        var like = Proved(Like("midnight"), _core.Time.GetUtcNow());
        Assert.AreEqual(StatusCodes.Status202Accepted, (await PostAsync(like, Relay)).Status);
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Inbox));

        _core.Time.Advance(TimeSpan.FromMinutes(30)); // the next UTC day, within the proof's window; the relay signs afresh
        var replay = await PostAsync(like, Relay);

        Assert.AreEqual(StatusCodes.Status202Accepted, replay.Status, "a duplicate is acknowledged");
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Inbox), "and not queued again");
    }

    [TestMethod]
    public async Task An_old_proof_does_not_matter_when_the_actor_signed_the_request_itself()
    {
        // A delivery retried for hours carries the proof made when it was first sent; its HTTP signature is new.
        var like = Proved(Like("retried"), _core.Time.GetUtcNow() - TimeSpan.FromDays(2));

        var result = await PostAsync(like, Carol);

        Assert.AreEqual(StatusCodes.Status202Accepted, result.Status, result.BodyText);
    }

    private static JsonObject Like(string name) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", ObjectIntegrityProof.DataIntegrityContext),
        ["id"] = $"{Carol}#likes/{name}",
        ["type"] = "Like",
        ["actor"] = Carol,
        ["object"] = "https://social.example.test/users/nobody/statuses/1",
    };

    private static JsonObject Proved(JsonObject activity, DateTimeOffset created) =>
        ObjectIntegrityProof.Sign(activity, Carol + "#ed25519-key", TestKeys.Ed25519PrivateKey, created);

    private static JsonObject Unsigned(JsonObject activity)
    {
        var copy = (JsonObject)activity.DeepClone();
        copy.Remove("proof");
        return copy;
    }

    /// <summary>A valid proof without <c>created</c> (vc-di-eddsa makes it optional): signed over proof options that lack it.</summary>
    private static JsonObject WithUndatedProof(JsonObject activity)
    {
        var proof = ObjectIntegrityProof.CreateProof(activity, Carol + "#ed25519-key", TestKeys.Ed25519PrivateKey, FederationCore.Start);
        proof.Remove("created");
        proof.Remove("proofValue");
        var document = Unsigned(activity);
        var hash = new byte[64];
        System.Security.Cryptography.SHA256.HashData(Canonical(proof), hash.AsSpan(0, 32));
        System.Security.Cryptography.SHA256.HashData(Canonical(document), hash.AsSpan(32, 32));
        var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
        using var key = NSec.Cryptography.Key.Import(algorithm, TestKeys.Ed25519PrivateKey, NSec.Cryptography.KeyBlobFormat.RawPrivateKey);
        proof["proofValue"] = "z" + SimpleBase.Base58.Bitcoin.Encode(algorithm.Sign(key, hash));
        document["proof"] = proof;
        return document;
    }

    private static byte[] Canonical(JsonNode node)
    {
        using var parsed = JsonDocument.Parse(node.ToJsonString());
        return JsonCanonicalizer.Canonicalize(parsed.RootElement);
    }

    private async Task<WireResult> PostAsync(JsonObject activity, string signer)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var url = new Uri(_core.Services.Urls.Base + "/inbox");
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        Signer.Sign(message, body, new SigningKey(signer + "#main-key", TestKeys.CavagePrivateKeyPem), _core.Time.GetUtcNow());

        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/inbox";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        foreach (var (name, values) in message.Headers.Concat(message.Content.Headers))
        {
            context.Request.Headers[name] = string.Join(", ", values);
        }

        return await _receiver.ReceiveAsync(context.Request, null, CancellationToken.None);
    }

    private static string? Error(WireResult result) => JsonDocument.Parse(result.Body).RootElement.GetProperty("error").GetString();
}
