using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// A peer that answers 503 for a while and then recovers gets the activity, through the running standalone host: its queue
/// listeners apply the Follow and make the first delivery attempt of the Accept.
/// </summary>
[TestClass]
public sealed class DeliveryRecoveryTests
{
    [TestMethod]
    public async Task A_peer_that_answers_503_twice_then_202_gets_the_Accept()
    {
        await using var instance = await TestInstance.StartAsync();
        await using var peer = await FakePeer.StartAsync();
        var alice = await instance.CreateAccountAsync("alice");
        var rita = peer.AddActor("rita");
        peer.Script(rita.InboxPath, 503, 503);
        var queues = instance.Services.GetRequiredService<FederationQueues>();
        var raw = instance.Services.GetRequiredService<StorageAccount>().RawQueues;
        var deliver = raw.GetQueueClient(queues.Deliver);
        var health = instance.Services.GetRequiredService<DeliveryHealth>();

        var follow = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = rita.Id + "#follows/1",
            ["type"] = "Follow",
            ["actor"] = rita.Id,
            ["object"] = $"{instance.BaseUrl}/users/alice",
        };
        var body = Encoding.UTF8.GetBytes(follow.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{instance.BaseUrl}/users/alice/inbox") { Content = new ByteArrayContent(body) };
        new HttpSignatureSigner().Sign(request, body, new SigningKey(rita.KeyId, rita.PrivateKeyPem), DateTimeOffset.UtcNow);
        Assert.AreEqual(HttpStatusCode.Accepted, (await instance.Http.SendAsync(request)).StatusCode);

        // Attempt 1, made by the host's deliver listener: 503, a failure on record, and one retry message that is not yet visible.
        var first = await Eventually.ValueAsync(() => Task.FromResult(peer.PostsTo(rita.InboxPath)), posts => posts.Count == 1, "the first delivery attempt");
        await Eventually.TrueAsync(
            async () => await deliver.ExistsAsync() && (await deliver.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1
                && (await health.ListAsync(CancellationToken.None)).Any(h => h.Host == "127.0.0.1"),
            "the retry message and the failure record");
        Assert.IsEmpty((await deliver.PeekMessagesAsync()).Value, "the retry is delayed");

        // The retry would become visible only after 24-36 s (and attempt 3 after another 96-144 s): the visibility delay cannot
        // be shortened from outside, so the test hands the processor the retries the queue would deliver, as the listener does.
        var processor = instance.Services.GetRequiredService<DeliveryProcessor>();
        var retry = new DeliveryMessage(alice.Id, rita.Inbox, first.Single().BodyText, null, 2, DateTimeOffset.UtcNow);
        await processor.ProcessAsync(retry, CancellationToken.None);
        await processor.ProcessAsync(retry with { Attempt = 3 }, CancellationToken.None);

        var posts = peer.PostsTo(rita.InboxPath);
        Assert.HasCount(3, posts);
        Assert.IsTrue(posts.All(p => p.BodyText == first.Single().BodyText), "every attempt carries the same Accept");
        Assert.AreEqual("Accept", (string?)JsonNode.Parse(posts[^1].BodyText)!["type"]);
        var key = new PublicKeyMaterial($"{instance.BaseUrl}/users/alice#main-key", $"{instance.BaseUrl}/users/alice", alice.RsaPublicKeyPem, null);
        var verification = await new HttpSignatureVerifier(new StaticKeyResolver(key), TimeProvider.System)
            .VerifyAsync(posts[^1].ToSignatureRequest(peer.Authority), CancellationToken.None);
        Assert.IsInstanceOfType<SignatureVerification.Verified>(verification, verification.ToString());
        Assert.IsEmpty(await health.ListAsync(CancellationToken.None), "the recovered host is no longer failing");
        Assert.AreEqual(2, (await deliver.GetPropertiesAsync()).Value.ApproximateMessagesCount, "attempts 1 and 2 each left one delayed retry");

        await deliver.DeleteIfExistsAsync();
    }
}
