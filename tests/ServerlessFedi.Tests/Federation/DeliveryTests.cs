using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// One signed POST per delivery message, against a <see cref="FakePeer"/> sink on loopback reached through test host names,
/// with Azurite queues and a fake clock: what a 2xx, a 503, a 410 or an unreachable host leads to, and what the sink receives.
/// Each test uses its own host name, so the per-host failure records do not mix.
/// </summary>
[TestClass]
public sealed class DeliveryTests
{
    private static readonly string Activity = new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = "https://social.example.test/users/alice/statuses/1/activity",
        ["type"] = "Create",
        ["actor"] = "https://social.example.test/users/alice",
        ["object"] = new JsonObject { ["type"] = "Note", ["content"] = "<p>Hello</p>" },
    }.ToJsonString();

    private static FederationCore _core = null!;
    private static FakePeer _sink = null!;
    private static LocalAccount _alice = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _core = new FederationCore();
        _sink = await FakePeer.StartAsync();
        _alice = await _core.CreateAccountAsync("alice");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _core.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [TestInitialize]
    public async Task EmptyQueues() => await _core.ClearQueuesAsync();

    /// <summary>An inbox on the sink under its own host name (resolved to 127.0.0.1), answering with <paramref name="statuses"/> then 202.</summary>
    private static string Inbox(string host, params int[] statuses)
    {
        _core.MapToLoopback(host);
        var path = $"/users/{host}/inbox";
        _sink.Script(path, statuses);
        return $"http://{host}:{_sink.Port}{path}";
    }

    private static IReadOnlyList<PeerRequest> Received(string inbox) => _sink.PostsTo(new Uri(inbox).AbsolutePath);

    private static DeliveryMessage Message(string inbox, int attempt = 1, string? sender = null) =>
        new(sender ?? _alice.Id, inbox, Activity, null, attempt, _core.Time.GetUtcNow());

    private static Task DeliverAsync(DeliveryMessage message) => _core.Delivery.ProcessAsync(message, CancellationToken.None);

    private static async Task<SignatureVerification> VerifyAsync(PeerRequest request, string inbox, params PublicKeyMaterial[] keys)
    {
        var uri = new Uri(inbox);
        var verifier = new HttpSignatureVerifier(new StaticKeyResolver(keys), _core.Time);
        return await verifier.VerifyAsync(request.ToSignatureRequest($"{uri.Host}:{uri.Port}"), CancellationToken.None);
    }

    private static async Task<bool> IsFailingAsync(string host) =>
        (await _core.Health.ListAsync(CancellationToken.None)).Any(h => h.Host == host);

    private static async Task AssertNoFollowUpAsync()
    {
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver), "no retry");
        Assert.AreEqual(0, await _core.CountAsync(_core.DeliverPoison), "nothing poisoned");
    }

    /// <summary>A follower of <paramref name="sender"/> whose own inbox (no shared inbox) is on the sink under <paramref name="host"/>.</summary>
    private static async Task<string> FollowerAsync(string sender, string host, params int[] statuses)
    {
        var inbox = Inbox(host, statuses);
        var id = $"http://{host}:{_sink.Port}/users/{host}";
        var actor = new RemoteActor(id, "Person", host, null, inbox, null, null, id + "#main-key", null, null, null, _core.Time.GetUtcNow());
        Assert.IsTrue(await _core.Followers.AddAsync(sender, actor, id + "#follow", CancellationToken.None));
        return inbox;
    }

    [TestMethod]
    public async Task A_fan_out_message_delivers_to_every_inbox_of_its_page_itself_and_queues_nothing()
    {
        // One queue hop from a post to its remote inboxes, not two, and no queue transactions per delivery (issues 13 and 17).
        var sender = await _core.CreateAccountAsync("herald");
        var inboxes = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            inboxes.Add(await FollowerAsync(sender.Id, $"f{i:D2}.inline.test"));
        }

        await _core.DeliveringFanout.ProcessAsync(new FanoutMessage(sender.Id, Activity, null, null, null, 0), CancellationToken.None);

        Assert.IsTrue(inboxes.TrueForAll(i => Received(i).Count == 1), "one POST to each inbox");
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver), "no delivery message");

        // A shard of a large fan-out (a hash range of the inbox set) delivers its inboxes the same way (another activity:
        // this process skips what it delivered minutes ago).
        var update = Activity.Replace("/activity\"", "/update\"", StringComparison.Ordinal);
        await _core.DeliveringFanout.ProcessAsync(new FanoutMessage(sender.Id, update, null, null, null, 1) { InboxFrom = "0", InboxTo = "g" }, CancellationToken.None);
        Assert.IsTrue(inboxes.TrueForAll(i => Received(i).Count == 2), "the shard's page, once more to each inbox");
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver));
    }

    [TestMethod]
    public async Task A_failed_delivery_made_by_the_fan_out_is_retried_through_the_queue()
    {
        var sender = await _core.CreateAccountAsync("relay");
        var inbox = await FollowerAsync(sender.Id, "busy.inline.test", 503);

        await _core.DeliveringFanout.ProcessAsync(new FanoutMessage(sender.Id, Activity, null, null, null, 0), CancellationToken.None);

        Assert.HasCount(1, Received(inbox));
        Assert.IsEmpty(await _core.ReceiveDeliveriesAsync(), "nothing visible: the fan-out did not queue a first attempt");
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Deliver), "its second attempt, delayed by the retry policy");
        Assert.IsTrue(await IsFailingAsync("busy.inline.test"));
    }

    [TestMethod]
    public async Task A_delivery_answered_202_is_signed_verifiable_and_clears_the_hosts_failures()
    {
        var inbox = Inbox("ok.sink.test");
        await _core.Health.RecordFailureAsync("ok.sink.test", "HTTP 503", CancellationToken.None);

        await DeliverAsync(Message(inbox));

        var request = Received(inbox).Single();
        Assert.AreEqual(Activity, request.BodyText);
        Assert.AreEqual(DeliveryProcessor.ActivityContentType, request.Header("content-type"));
        Assert.AreEqual("SHA-256=" + Convert.ToBase64String(SHA256.HashData(request.Body)), request.Header("digest"));
        var signature = request.Header("signature");
        StringAssert.Contains(signature, "keyId=\"https://social.example.test/users/alice#main-key\"");
        StringAssert.Contains(signature, "algorithm=\"rsa-sha256\"");
        StringAssert.Contains(signature, "headers=\"(request-target) host date digest\"");
        var verification = await VerifyAsync(request, inbox, _core.KeyOf(_alice));
        Assert.IsInstanceOfType<SignatureVerification.Verified>(verification, verification.ToString());
        Assert.IsFalse(await IsFailingAsync("ok.sink.test"), "a delivered host is healthy again");
        await AssertNoFollowUpAsync();
    }

    [TestMethod]
    public async Task A_delivery_answered_503_is_retried_by_a_new_message_that_stays_invisible_for_a_while()
    {
        var inbox = Inbox("busy.sink.test", 503);

        await DeliverAsync(Message(inbox));

        Assert.HasCount(1, Received(inbox));
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Deliver), "one retry message");
        Assert.IsEmpty((await _core.Raw(_core.Queues.Deliver).PeekMessagesAsync(32)).Value, "the retry waits for its delay (at least 24 s for attempt 2)");
        Assert.AreEqual(0, await _core.CountAsync(_core.DeliverPoison));
        var failing = (await _core.Health.ListAsync(CancellationToken.None)).Single(h => h.Host == "busy.sink.test");
        Assert.AreEqual(1, failing.Failures);
        Assert.AreEqual("HTTP 503", failing.LastReason);
        Assert.AreEqual(_core.Time.GetUtcNow(), failing.FirstFailureAt);
        Assert.IsFalse(failing.Unavailable);
    }

    [TestMethod]
    [DataRow(410)]
    [DataRow(404)]
    [DataRow(403)]
    public async Task A_delivery_refused_for_good_is_not_retried(int status)
    {
        var inbox = Inbox($"gone{status}.sink.test", status);

        await DeliverAsync(Message(inbox));

        Assert.HasCount(1, Received(inbox));
        await AssertNoFollowUpAsync();
    }

    [TestMethod]
    public async Task A_delivery_that_fails_its_last_attempt_is_moved_to_the_poison_queue()
    {
        var inbox = Inbox("dying.sink.test", 503);
        var last = Message(inbox, attempt: RetryPolicy.MaxAttempts);

        await DeliverAsync(last);

        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver));
        var poisoned = await _core.ReceiveAllAsync(_core.DeliverPoison, QueueJsonContext.Default.DeliveryMessage);
        Assert.AreEqual(last, poisoned.Single(), "kept as it was, for inspection and replay");
    }

    [TestMethod]
    public async Task A_delivery_whose_next_attempt_would_fall_after_two_days_is_moved_to_the_poison_queue()
    {
        var inbox = Inbox("slow.sink.test", 503);
        var late = Message(inbox, attempt: 3) with { FirstAttemptAt = _core.Time.GetUtcNow() - RetryPolicy.MaxTotal + TimeSpan.FromMinutes(1) };

        await DeliverAsync(late);

        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver));
        Assert.AreEqual(late, (await _core.ReceiveAllAsync(_core.DeliverPoison, QueueJsonContext.Default.DeliveryMessage)).Single());
    }

    [TestMethod]
    public async Task A_host_failing_for_more_than_three_days_is_skipped_without_a_request()
    {
        var inbox = Inbox("down.sink.test");
        await _core.Health.RecordFailureAsync("down.sink.test", "HTTP 503", CancellationToken.None);
        _core.Time.Advance(DeliveryHealth.UnavailableAfter + TimeSpan.FromMinutes(1));

        await DeliverAsync(Message(inbox));

        Assert.IsEmpty(Received(inbox));
        await AssertNoFollowUpAsync();
        Assert.IsTrue((await _core.Health.ListAsync(CancellationToken.None)).Single(h => h.Host == "down.sink.test").Unavailable);
    }

    [TestMethod]
    public async Task A_host_failing_for_less_than_three_days_is_still_tried()
    {
        var inbox = Inbox("flaky.sink.test");
        await _core.Health.RecordFailureAsync("flaky.sink.test", "HTTP 503", CancellationToken.None);
        _core.Time.Advance(DeliveryHealth.UnavailableAfter - TimeSpan.FromHours(1));

        await DeliverAsync(Message(inbox));

        Assert.HasCount(1, Received(inbox));
        Assert.IsFalse(await IsFailingAsync("flaky.sink.test"));
    }

    [TestMethod]
    public async Task A_delivery_from_an_unknown_sender_is_dropped()
    {
        var inbox = Inbox("orphan.sink.test");

        await DeliverAsync(Message(inbox, sender: "999999999999999999"));

        Assert.IsEmpty(Received(inbox));
        await AssertNoFollowUpAsync();
    }

    [TestMethod]
    public async Task A_delivery_from_the_instance_actor_is_signed_with_the_instance_key()
    {
        var inbox = Inbox("relay.sink.test");
        var instance = await _core.Services.InstanceActor.GetOrCreateAsync();

        await DeliverAsync(Message(inbox, sender: DeliveryMessage.InstanceSender));

        var request = Received(inbox).Single();
        StringAssert.Contains(request.Header("signature"), "keyId=\"https://social.example.test/actor#main-key\"");
        var key = new PublicKeyMaterial(_core.Services.Urls.InstanceActorKey, _core.Services.Urls.InstanceActor, instance.RsaPublicKeyPem, null);
        Assert.IsInstanceOfType<SignatureVerification.Verified>(await VerifyAsync(request, inbox, key));
    }

    [TestMethod]
    public async Task A_host_that_refuses_connections_is_retried()
    {
        _core.MapToLoopback("closed.sink.test");
        var inbox = $"http://closed.sink.test:{ClosedPort()}/inbox";

        await DeliverAsync(Message(inbox));

        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Deliver));
        Assert.IsTrue(await IsFailingAsync("closed.sink.test"));
    }

    [TestMethod]
    public async Task An_inbox_in_a_private_network_is_refused_for_good_without_connecting()
    {
        _core.Map("intranet.sink.test", IPAddress.Parse("10.1.2.3"));

        await DeliverAsync(Message("http://intranet.sink.test/inbox"));

        await AssertNoFollowUpAsync();
        Assert.IsFalse(await IsFailingAsync("intranet.sink.test"));
    }

    [TestMethod]
    public async Task A_payload_over_32_KiB_travels_as_a_blob_reference_and_is_delivered_whole()
    {
        var inbox = Inbox("big.sink.test");
        var follower = new RemoteActor(
            "http://big.sink.test/users/bob", "Person", "bob", null, inbox, null, null, null, null, null, null, _core.Time.GetUtcNow());
        await _core.Followers.AddAsync(_alice.Id, follower, null, CancellationToken.None);
        var activity = JsonNode.Parse(Activity)!.AsObject();
        activity["object"]!["content"] = "<p>" + new string('é', 20_000) + "</p>";
        var json = activity.ToJsonString();
        Assert.IsGreaterThan(PayloadStore.InlineLimitBytes, Encoding.UTF8.GetByteCount(json));

        await _core.Publisher.PublishAsync(_alice, activity, null, skipFollowers: false, CancellationToken.None);
        var raw = (await _core.Raw(_core.Queues.Fanout).PeekMessagesAsync()).Value.Single().MessageText;
        var fanout = (await _core.ReceiveFanoutsAsync()).Single();
        await _core.Fanout.ProcessAsync(fanout, CancellationToken.None);
        var delivery = (await _core.ReceiveDeliveriesAsync()).Single();
        await DeliverAsync(delivery);

        Assert.IsLessThan(8 * 1024, raw.Length, "the queue message carries a reference, not the activity");
        Assert.IsNull(fanout.Activity);
        StringAssert.EndsWith(fanout.PayloadBlob, ".json");
        Assert.IsNull(delivery.Activity);
        Assert.AreEqual(fanout.PayloadBlob, delivery.PayloadBlob);
        var request = Received(inbox).Single();
        var received = JsonNode.Parse(request.BodyText)!.AsObject();
        Assert.IsTrue(JsonNode.DeepEquals(activity["object"], received["object"]), "the whole object arrives");
        Assert.IsNotNull(received["proof"], "the object integrity proof made at publishing travels with it");
        Assert.AreEqual("SHA-256=" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(request.BodyText))), request.Header("digest"));
        Assert.IsInstanceOfType<SignatureVerification.Verified>(await VerifyAsync(request, inbox, _core.KeyOf(_alice)));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
