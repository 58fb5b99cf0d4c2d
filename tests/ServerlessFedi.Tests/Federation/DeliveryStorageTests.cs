using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, items 6 and 7: what deliveries cost in storage, counted on the wire by <see cref="StorageFaults"/> in front of
/// Azurite, and what injected storage faults do to them. Retries back off for a millisecond here (the count of retries is
/// the product's), so a fault that outlasts them costs no test time.
/// </summary>
[TestClass]
public sealed class DeliveryStorageTests : IAsyncDisposable
{
    private StorageFaults _faults = null!;
    private FederationCore _core = null!;
    private FakePeer _peer = null!;
    private LocalAccount _alice = null!;

    [TestInitialize]
    public async Task Start()
    {
        _faults = new StorageFaults();
        _core = new FederationCore(options =>
        {
            _faults.AddTo(options);
            options.Retry.Delay = TimeSpan.FromMilliseconds(1);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
        });
        _peer = await FakePeer.StartAsync();
        _alice = await _core.CreateAccountAsync("alice");
    }

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync();
        await _peer.DisposeAsync();
    }

    private string Inbox(string host, params int[] statuses)
    {
        _core.MapToLoopback(host);
        var path = $"/users/{host}/inbox";
        _peer.Script(path, statuses);
        return $"http://{host}:{_peer.Port}{path}";
    }

    private string DeliveryTable => _core.Services.Tables.PhysicalName(StorageNames.DeliveryTable);

    private bool IsHealthWrite(string request) =>
        request.Contains($"/{DeliveryTable}(", StringComparison.Ordinal) && !request.StartsWith("GET", StringComparison.Ordinal);

    private int Posts(string inbox) => _peer.PostsTo(new Uri(inbox).AbsolutePath).Count;

    [TestMethod]
    public async Task Twenty_deliveries_of_one_post_read_the_sender_the_status_and_the_failing_hosts_once_in_all()
    {
        var status = new Status { Id = new SnowflakeIds(_core.Time).Next(), AccountId = _alice.Id, Text = "Flood warning", ContentHtml = "<p>Flood warning</p>", CreatedAt = _core.Time.GetUtcNow() };
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        var inboxes = Enumerable.Range(0, 20).Select(i => Inbox($"h{i}.cost.test")).ToList();
        var create = new NoteMapper(_core.Services.Urls).Create(status, _alice);
        await _core.Publisher.PublishStatusAsync(_alice, status, create, inboxes, skipFollowers: true, CancellationToken.None);
        await _core.Fanout.ProcessAsync((await _core.ReceiveFanoutsAsync()).Single(), CancellationToken.None);
        var deliveries = await _core.ReceiveDeliveriesAsync();
        Assert.HasCount(20, deliveries);
        _faults.Attempts.Clear();

        // All at once, as a host instance runs a batch: concurrent misses share one read.
        await Task.WhenAll(deliveries.Select(d => _core.Delivery.ProcessAsync(d, CancellationToken.None)));

        Assert.IsTrue(inboxes.All(i => Posts(i) == 1), "every inbox got the post once");
        var calls = _faults.Attempts.Where(a => a != "POST /Tables").ToList();
        Assert.HasCount(3, calls, "one query of the failing hosts, one read of the sender, one of the status: " + string.Join(", ", calls));
        Assert.AreEqual(1, calls.Count(c => c.StartsWith($"GET /{DeliveryTable}()", StringComparison.Ordinal)));
        Assert.AreEqual(1, calls.Count(c => c.StartsWith($"GET /{_core.Services.Tables.PhysicalName(StorageNames.AccountsTable)}(", StringComparison.Ordinal)));
        Assert.AreEqual(1, calls.Count(c => c.StartsWith($"GET /{_core.Services.Tables.PhysicalName(StorageNames.StatusesTable)}(", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Twenty_deliveries_of_a_post_too_large_for_a_queue_message_read_its_payload_once_in_all()
    {
        // 26,400 characters (a table property holds 32,768), over 32 KB as the queue message escapes them (ü: 6 bytes).
        var text = string.Concat(Enumerable.Repeat("Sturmflut über Küste. ", 1_200));
        var status = new Status { Id = new SnowflakeIds(_core.Time).Next(), AccountId = _alice.Id, Text = text, ContentHtml = $"<p>{text}</p>", CreatedAt = _core.Time.GetUtcNow() };
        await _core.Statuses.AddAsync(status, CancellationToken.None);
        var inboxes = Enumerable.Range(0, 20).Select(i => Inbox($"p{i}.cost.test")).ToList();
        await _core.Publisher.PublishStatusAsync(_alice, status, new NoteMapper(_core.Services.Urls).Create(status, _alice), inboxes, skipFollowers: true, CancellationToken.None);
        await _core.Fanout.ProcessAsync((await _core.ReceiveFanoutsAsync()).Single(), CancellationToken.None);
        var deliveries = await _core.ReceiveDeliveriesAsync();
        Assert.IsTrue(deliveries.All(d => d.Activity is null && d.PayloadBlob is not null), "the activity is in a payload blob");
        _faults.Attempts.Clear();

        await Task.WhenAll(deliveries.Select(d => _core.Delivery.ProcessAsync(d, CancellationToken.None)));

        Assert.IsTrue(inboxes.All(i => Posts(i) == 1), "every inbox got the post once");
        Assert.AreEqual(1, _faults.Count(a => a.StartsWith("GET /", StringComparison.Ordinal) && a.Contains(".json", StringComparison.Ordinal)), "one read of the payload: " + string.Join(", ", _faults.Attempts));
    }

    [TestMethod]
    public async Task A_failing_host_is_written_when_it_starts_failing_at_most_once_a_minute_after_and_once_when_it_answers()
    {
        var inbox = Inbox("flaky.cost.test", 503, 503, 503, 503);
        var message = new DeliveryMessage(_alice.Id, inbox, "{\"type\":\"Like\",\"id\":\"https://social.example.test/likes/1\"}", null, 1, _core.Time.GetUtcNow());

        for (var i = 0; i < 3; i++)
        {
            await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        }

        Assert.AreEqual(1, _faults.Count(IsHealthWrite), "three failures within a minute: one write");
        _core.Time.Advance(DeliveryHealth.RefreshInterval);
        await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        Assert.AreEqual(2, _faults.Count(IsHealthWrite), "a minute later its record is brought up to date");
        var failing = (await _core.Health.ListAsync(CancellationToken.None)).Single(h => h.Host == "flaky.cost.test");
        Assert.AreEqual(2, failing.Failures, "failures recorded: one per write");

        await _core.Delivery.ProcessAsync(message with { Activity = "{\"type\":\"Like\",\"id\":\"https://social.example.test/likes/2\"}" }, CancellationToken.None);
        await _core.Delivery.ProcessAsync(message with { Activity = "{\"type\":\"Like\",\"id\":\"https://social.example.test/likes/3\"}" }, CancellationToken.None);

        Assert.AreEqual(3, _faults.Count(IsHealthWrite), "the host answered: one delete, then nothing");
        Assert.IsEmpty(await _core.Health.ListAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task Health_writes_that_storage_refuses_fail_neither_the_failed_attempt_nor_the_delivered_one()
    {
        var inbox = Inbox("refused.cost.test", 503);
        var message = new DeliveryMessage(_alice.Id, inbox, "{\"type\":\"Like\",\"id\":\"https://social.example.test/likes/9\"}", null, 1, _core.Time.GetUtcNow());
        await _core.Health.ListAsync(CancellationToken.None); // the table exists: only the writes fail
        _faults.Fail(IsHealthWrite, times: 100);

        await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Deliver), "the retry is queued although the failure could not be recorded");
        Assert.AreEqual(StorageAccount.MaxRetries + 1, _faults.Injected.Count, "the write was tried as the retry policy says, then given up");

        await _core.Delivery.ProcessAsync(message with { Attempt = 2 }, CancellationToken.None);
        Assert.AreEqual(2, Posts(inbox), "delivered on the second attempt, once");
        Assert.AreEqual(1, await _core.CountAsync(_core.Queues.Deliver), "no further retry");
    }

    [TestMethod]
    public async Task A_delivery_whose_message_reappears_after_it_was_delivered_is_not_posted_again()
    {
        var inbox = Inbox("once.cost.test");
        var message = new DeliveryMessage(_alice.Id, inbox, "{\"type\":\"Announce\",\"id\":\"https://social.example.test/announces/1\"}", null, 1, _core.Time.GetUtcNow());

        await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        _core.Time.Advance(TimeSpan.FromMinutes(10)); // the host's lease on a message whose delete failed
        await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        Assert.AreEqual(1, Posts(inbox));

        _core.Time.Advance(DeliveredLedger.Lifetime);
        await _core.Delivery.ProcessAsync(message, CancellationToken.None);
        Assert.AreEqual(2, Posts(inbox), "remembered for a bounded time only");
    }

    [TestMethod]
    public async Task A_delivery_whose_payload_expired_is_dropped_without_a_request()
    {
        var inbox = Inbox("expired.cost.test");
        var message = new DeliveryMessage(_alice.Id, inbox, null, new string('0', 64) + ".json", 2, _core.Time.GetUtcNow());
        await _core.Payloads.StoreAsync(new string('x', PayloadStore.InlineLimitBytes + 1), CancellationToken.None); // the container exists

        await _core.Delivery.ProcessAsync(message, CancellationToken.None);

        Assert.AreEqual(0, Posts(inbox));
        Assert.AreEqual(0, await _core.CountAsync(_core.Queues.Deliver));
    }

    [TestMethod]
    public async Task Throttling_and_server_errors_are_retried_with_growing_delays_by_the_product_s_retry_policy()
    {
        var faults = new StorageFaults();
        var services = TestStorage.Services(storageOptions: faults.AddTo);
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        faults.Fail(r => r.StartsWith($"GET /{table.Name}(", StringComparison.Ordinal), times: 1, status: 503);
        faults.Fail(r => r.StartsWith($"GET /{table.Name}(", StringComparison.Ordinal), times: 1, status: 429);
        faults.Fail(r => r.StartsWith($"GET /{table.Name}(", StringComparison.Ordinal), times: 1, status: 500);

        var found = await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("account", "0");

        Assert.IsFalse(found.HasValue, "the fourth attempt reached storage and got its answer");
        Assert.AreEqual(4, faults.Count(r => r.StartsWith($"GET /{table.Name}(", StringComparison.Ordinal)));
        var at = faults.Injected.Select(i => i.At).Append(DateTimeOffset.UtcNow).ToList();
        var waits = at.Zip(at.Skip(1), (a, b) => b - a).ToList();
        for (var i = 0; i < waits.Count; i++)
        {
            // Exponential: the i-th retry waits 2^i times the first delay, less at most 20 % jitter (load only adds to it).
            Assert.IsGreaterThanOrEqualTo(StorageAccount.FirstRetryDelay * 0.8 * (1 << i), waits[i], $"wait before retry {i + 1}");
        }
    }
}
