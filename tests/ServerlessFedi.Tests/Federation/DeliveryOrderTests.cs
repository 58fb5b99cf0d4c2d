using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, item 2: the Create, Update and Delete of one status are separate fan-outs, each retried on its own. An inbox
/// that is down while they are published fails the first attempt of each; when it returns, the retries (the messages the
/// failed attempts queued, handed to the processor as the queue would after their delays, in the worst order) must leave
/// it with the current state: the Delete only, or the current version, never a stale activity last.
/// </summary>
[TestClass]
public sealed class DeliveryOrderTests
{
    private static FederationCore _core = null!;
    private static FakePeer _peer = null!;
    private static NoteMapper _notes = null!;
    private LocalAccount _alice = null!;
    private string _inbox = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _core = new FederationCore();
        _peer = await FakePeer.StartAsync();
        _notes = new NoteMapper(_core.Services.Urls);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _core.DisposeAsync();
        await _peer.DisposeAsync();
    }

    [TestInitialize]
    public async Task Follower()
    {
        await _core.ClearQueuesAsync();
        var name = "a" + Guid.NewGuid().ToString("N")[..10];
        _alice = await _core.CreateAccountAsync(name);
        var host = $"{name}.down.test";
        _core.MapToLoopback(host);
        var path = $"/users/{name}/inbox";
        _inbox = $"http://{host}:{_peer.Port}{path}";
        var follower = new RemoteActor($"http://{host}:{_peer.Port}/users/{name}", "Person", name, null, _inbox, null, null, null, null, null, null, _core.Time.GetUtcNow());
        await _core.Followers.AddAsync(_alice.Id, follower, null, CancellationToken.None);
    }

    private IReadOnlyList<PeerRequest> Received() => _peer.PostsTo(new Uri(_inbox).AbsolutePath);

    private Status NewStatus(string text) => new()
    {
        Id = new ServerlessFedi.Storage.SnowflakeIds(_core.Time).Next(),
        AccountId = _alice.Id,
        Text = text,
        ContentHtml = $"<p>{text}</p>",
        CreatedAt = _core.Time.GetUtcNow(),
    };

    /// <summary>Publishes, fans out, and makes the first attempt of each delivery while the inbox answers 503; returns the queued retries.</summary>
    private async Task<List<DeliveryMessage>> PublishWhileDownAsync(Status status, JsonObject activity)
    {
        await _core.Publisher.PublishStatusAsync(_alice, status, activity, null, skipFollowers: false, CancellationToken.None);
        foreach (var fanout in await _core.ReceiveFanoutsAsync())
        {
            await _core.Fanout.ProcessAsync(fanout, CancellationToken.None);
        }

        var retries = new List<DeliveryMessage>();
        foreach (var delivery in await _core.ReceiveDeliveriesAsync())
        {
            _peer.Script(new Uri(_inbox).AbsolutePath, 503);
            var before = await _core.CountAsync(_core.Queues.Deliver);
            await _core.Delivery.ProcessAsync(delivery, CancellationToken.None);
            Assert.AreEqual(before + 1, await _core.CountAsync(_core.Queues.Deliver), "the failed attempt queued its retry");
            retries.Add(delivery with { Attempt = delivery.Attempt + 1 });
        }

        _core.Time.Advance(TimeSpan.FromMinutes(1));
        return retries;
    }

    private async Task ReturnAsync(params IEnumerable<DeliveryMessage>[] retriesInOrder)
    {
        _core.Time.Advance(TimeSpan.FromHours(1));
        foreach (var retry in retriesInOrder.SelectMany(r => r))
        {
            await _core.Delivery.ProcessAsync(retry, CancellationToken.None);
        }
    }

    private static string TypeOf(PeerRequest request) => (string)JsonNode.Parse(request.BodyText)!["type"]!;

    [TestMethod]
    public async Task An_inbox_down_through_create_update_and_delete_receives_only_the_delete_when_it_returns()
    {
        var status = NewStatus("Storm warning for the coast");
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        var create = await PublishWhileDownAsync(status, _notes.Create(status, _alice));
        var edited = status with { Text = "Storm warning lifted", ContentHtml = "<p>Storm warning lifted</p>", EditedAt = _core.Time.GetUtcNow() };
        await _core.Statuses.ReplaceAsync(edited, CancellationToken.None);
        var update = await PublishWhileDownAsync(edited, _notes.Update(edited, _alice));
        await _core.Statuses.MarkDeletedAsync(edited, _core.Time.GetUtcNow(), CancellationToken.None);
        var delete = await PublishWhileDownAsync(edited, _notes.Delete(edited, _alice));
        var attempts = Received().Count;

        // The worst order: the Delete's retry first, the Create's last.
        await ReturnAsync(delete, update, create);

        var after = Received().Skip(attempts).ToList();
        Assert.HasCount(1, after, "the Delete, and nothing after it");
        Assert.AreEqual("Delete", TypeOf(after[0]));
        Assert.IsInstanceOfType<SignatureVerification.Verified>(
            await new HttpSignatureVerifier(new StaticKeyResolver(_core.KeyOf(_alice)), _core.Time).VerifyAsync(after[0].ToSignatureRequest(new Uri(_inbox).Authority), CancellationToken.None));
    }

    [TestMethod]
    public async Task An_inbox_down_through_two_edits_receives_the_current_version_and_no_older_update_when_it_returns()
    {
        var status = NewStatus("Roads closed: A1, A7");
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        var create = await PublishWhileDownAsync(status, _notes.Create(status, _alice));
        var second = status with { Text = "Roads closed: A1", ContentHtml = "<p>Roads closed: A1</p>", EditedAt = _core.Time.GetUtcNow() };
        await _core.Statuses.ReplaceAsync(second, CancellationToken.None);
        var firstEdit = await PublishWhileDownAsync(second, _notes.Update(second, _alice));
        var third = second with { Text = "All roads open", ContentHtml = "<p>All roads open</p>", EditedAt = _core.Time.GetUtcNow() };
        await _core.Statuses.ReplaceAsync(third, CancellationToken.None);
        var secondEdit = await PublishWhileDownAsync(third, _notes.Update(third, _alice));
        var attempts = Received().Count;

        // Newest first, the Create last: whatever arrives last must be the current text.
        await ReturnAsync(secondEdit, firstEdit, create);

        var after = Received().Skip(attempts).Select(r => JsonNode.Parse(r.BodyText)!).ToList();
        CollectionAssert.AreEqual(new[] { "Update", "Create" }, after.Select(a => (string)a["type"]!).ToArray(), "the older Update is dropped");
        Assert.IsTrue(after.All(a => ((string)a["object"]!["content"]!).Contains("All roads open", StringComparison.Ordinal)), "both carry the current version");
        var created = after[1];
        Assert.AreEqual($"{_core.Services.Urls.Status(_alice.Username, status.Id)}/activity", (string)created["id"]!, "the Create keeps its id");
        Assert.IsNotNull(created["proof"], "the re-rendered Create carries a fresh proof");
        using var doc = System.Text.Json.JsonDocument.Parse(created.ToJsonString());
        var actor = _core.Services.Urls.Actor(_alice.Username);
        var proof = ObjectIntegrityProof.Verify(doc.RootElement, doc.RootElement.GetProperty("proof"), new PublicKeyMaterial(_core.Services.Urls.ActorEd25519Key(_alice.Username), actor, null, _alice.Ed25519PublicKey), _core.Time.GetUtcNow());
        Assert.IsInstanceOfType<ProofVerification.Verified>(proof, "made with the author's key, over the current version");
    }

    [TestMethod]
    public async Task A_create_whose_status_was_deleted_before_its_first_attempt_is_not_sent()
    {
        var status = NewStatus("Posted by mistake");
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        await _core.Publisher.PublishStatusAsync(_alice, status, _notes.Create(status, _alice), null, skipFollowers: false, CancellationToken.None);
        await _core.Fanout.ProcessAsync((await _core.ReceiveFanoutsAsync()).Single(), CancellationToken.None);
        var delivery = (await _core.ReceiveDeliveriesAsync()).Single();
        Assert.AreEqual(new DeliverySubject(status.Id, "Create", status.CreatedAt), delivery.Subject, "the delivery says what it is about");
        await _core.Statuses.MarkDeletedAsync(status, _core.Time.GetUtcNow(), CancellationToken.None);
        _core.Time.Advance(DeliveryRecheck.Lifetime);
        var queued = await _core.CountAsync(_core.Queues.Deliver);

        await _core.Delivery.ProcessAsync(delivery, CancellationToken.None);

        Assert.IsEmpty(Received());
        Assert.AreEqual(queued, await _core.CountAsync(_core.Queues.Deliver), "nothing to retry");
    }

    [TestMethod]
    public async Task A_deleted_account_sends_nothing_but_its_delete_on_a_retry()
    {
        var status = NewStatus("Last post");
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        var create = await PublishWhileDownAsync(status, _notes.Create(status, _alice));
        await _core.Services.Accounts.MarkDeletedAsync(_alice, _core.Time.GetUtcNow(), CancellationToken.None);
        var deletePerson = new DeliveryMessage(_alice.Id, _inbox, new JsonObject { ["id"] = _core.Services.Urls.Actor(_alice.Username) + "#delete", ["type"] = "Delete", ["actor"] = _core.Services.Urls.Actor(_alice.Username), ["object"] = _core.Services.Urls.Actor(_alice.Username) }.ToJsonString(), null, 2, _core.Time.GetUtcNow());
        var attempts = Received().Count;

        await ReturnAsync([deletePerson], create);

        var after = Received().Skip(attempts).ToList();
        Assert.HasCount(1, after);
        Assert.AreEqual("Delete", TypeOf(after[0]));
    }
}
