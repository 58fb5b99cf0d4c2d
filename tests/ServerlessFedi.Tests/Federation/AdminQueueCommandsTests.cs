using System.Text;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary><c>admin queues counts|poison|replay</c> and <c>admin deliveries</c> in-process against Azurite, one storage prefix per test.</summary>
[TestClass]
public sealed class AdminQueueCommandsTests
{
    private readonly string _prefix = TestStorage.NewPrefix();
    private IConfiguration _configuration = null!;
    private StorageAccount _account = null!;
    private FederationQueues _queues = null!;
    private WorkQueue _work = null!;

    [TestInitialize]
    public void Initialize()
    {
        _configuration = TestStorage.Configuration(_prefix);
        _account = StorageAccount.FromConfiguration(_configuration);
        _queues = FederationQueues.FromConfiguration(_configuration);
        _work = new WorkQueue(_account, _queues);
    }

    [TestCleanup]
    public async Task Cleanup()
    {
        foreach (var queue in _queues.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            await _account.RawQueues.GetQueueClient(queue).DeleteIfExistsAsync();
        }
    }

    private async Task<(int Exit, string Stdout, string Stderr)> AdminAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, _configuration, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static DeliveryMessage GivenUp(string inbox) => new(
        "123456789012345678",
        inbox,
        "{\"type\":\"Create\",\"id\":\"https://social.example.test/users/alice/statuses/1/activity\"}",
        null,
        RetryPolicy.MaxAttempts,
        new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    private async Task<int> CountAsync(string queue)
    {
        var client = _account.RawQueues.GetQueueClient(queue);
        return await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    [TestMethod]
    public async Task Poison_lists_a_delivery_that_was_given_up_and_leaves_it_there()
    {
        await _work.SendDeliveryPoisonAsync(GivenUp("https://down.example/inbox"), CancellationToken.None);

        var (exit, stdout, stderr) = await AdminAsync("queues", "poison");

        Assert.AreEqual(0, exit, stderr);
        StringAssert.Contains(stdout, $"{_queues.Deliver}-poison: about 1 message(s)");
        StringAssert.Contains(stdout, "\"inbox\":\"https://down.example/inbox\"");
        StringAssert.Contains(stdout, $"{_queues.Inbox}-poison: (no queue)");
        StringAssert.Contains(stdout, "1 message(s) shown");
        Assert.AreEqual(1, await CountAsync(_queues.Deliver + "-poison"), "listing only peeks");
    }

    [TestMethod]
    public async Task Counts_show_waiting_and_poisoned_messages_of_every_queue()
    {
        await _work.SendDeliveryPoisonAsync(GivenUp("https://down.example/inbox"), CancellationToken.None);
        await _work.SendDeliveryAsync(GivenUp("https://up.example/inbox") with { Attempt = 1 }, null, CancellationToken.None);

        var (exit, stdout, stderr) = await AdminAsync("queues", "counts");

        Assert.AreEqual(0, exit, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        CollectionAssert.AreEqual(new[] { _queues.Deliver, "1", "1" }, lines.Single(l => l.StartsWith(_queues.Deliver, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        CollectionAssert.AreEqual(new[] { _queues.Inbox, "-", "-" }, lines.Single(l => l.StartsWith(_queues.Inbox, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries), "queues not created yet");
        StringAssert.Contains(stdout, "1 poisoned message(s)");
    }

    [TestMethod]
    public async Task Poison_of_one_queue_lists_only_that_queue()
    {
        await _work.SendDeliveryPoisonAsync(GivenUp("https://down.example/inbox"), CancellationToken.None);

        var (exit, stdout, stderr) = await AdminAsync("queues", "poison", "--queue", "deliver");

        Assert.AreEqual(0, exit, stderr);
        StringAssert.Contains(stdout, $"{_queues.Deliver}-poison: about 1 message(s)");
        Assert.DoesNotContain(_queues.Inbox, stdout);
        Assert.DoesNotContain(_queues.Fanout, stdout);
    }

    [TestMethod]
    public async Task Replay_moves_a_given_up_delivery_back_with_a_fresh_attempt_count()
    {
        var given = GivenUp("https://down.example/inbox");
        await _work.SendDeliveryPoisonAsync(given, CancellationToken.None);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var (exit, stdout, stderr) = await AdminAsync("queues", "replay", "--queue", "deliver");

        Assert.AreEqual(0, exit, stderr);
        StringAssert.Contains(stdout, "1 message(s) replayed");
        Assert.AreEqual(0, await CountAsync(_queues.Deliver + "-poison"));
        var replayed = (await _account.RawQueues.GetQueueClient(_queues.Deliver).ReceiveMessagesAsync(32)).Value.Single();
        var message = FederationCore.Decode(replayed.MessageText, QueueJsonContext.Default.DeliveryMessage);
        Assert.AreEqual(1, message.Attempt);
        Assert.IsGreaterThanOrEqualTo(before, message.FirstAttemptAt, "the retry window starts again");
        Assert.AreEqual(given with { Attempt = 1, FirstAttemptAt = message.FirstAttemptAt }, message);
    }

    [TestMethod]
    public async Task Replay_passes_other_messages_back_unchanged()
    {
        var inboxPoison = _account.Queues.GetQueueClient(_queues.Inbox + "-poison");
        await inboxPoison.CreateIfNotExistsAsync();
        const string Json = "{\"recipient\":\"alice\",\"activity\":\"{}\",\"signerActorId\":\"https://mastodon.example/users/bob\",\"receivedAt\":\"2026-03-01T09:00:00+00:00\"}";
        await inboxPoison.SendMessageAsync(Json);

        var (exit, _, stderr) = await AdminAsync("queues", "replay", "--queue", "inbox");

        Assert.AreEqual(0, exit, stderr);
        var replayed = (await _account.RawQueues.GetQueueClient(_queues.Inbox).ReceiveMessagesAsync()).Value.Single();
        Assert.AreEqual(Json, Encoding.UTF8.GetString(Convert.FromBase64String(replayed.MessageText)));
        Assert.AreEqual(0, await CountAsync(_queues.Inbox + "-poison"));
    }

    [TestMethod]
    public async Task Reports_lists_the_flags_received()
    {
        var reports = new ReportStore(new FediTables(_account, ServerlessFedi.FediServices.ReadOptions(_configuration)), new ServerlessFedi.Storage.SnowflakeIds(TimeProvider.System), TimeProvider.System);
        await reports.AddAsync("https://remote.example/flags/1", "https://remote.example/users/mod", ["123456789012345678"], ["223456789012345678"], "Spam\nrepeated", CancellationToken.None);

        var (exit, stdout, stderr) = await AdminAsync("reports");

        Assert.AreEqual(0, exit, stderr);
        var line = stdout.Split('\n').Single(l => l.Contains("https://remote.example/users/mod", StringComparison.Ordinal));
        StringAssert.Contains(line, "123456789012345678");
        StringAssert.Contains(line, "223456789012345678");
        StringAssert.Contains(line, "Spam repeated");
        StringAssert.Contains(stdout, "1 report(s)");
    }

    [TestMethod]
    public async Task Deliveries_lists_a_failing_host()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var health = new DeliveryHealth(new FediTables(_account, ServerlessFedi.FediServices.ReadOptions(_configuration)), time);
        await health.RecordFailureAsync("down.example", "HTTP 503", CancellationToken.None);
        time.Advance(DeliveryHealth.RefreshInterval); // failures are recorded at most once a minute
        await health.RecordFailureAsync("down.example", "HTTP 502", CancellationToken.None);

        var (exit, stdout, stderr) = await AdminAsync("deliveries");

        Assert.AreEqual(0, exit, stderr);
        var line = stdout.Split('\n').Single(l => l.StartsWith("down.example", StringComparison.Ordinal));
        StringAssert.Contains(line, " 2 ");
        StringAssert.Contains(line, "retrying");
        StringAssert.Contains(line, "HTTP 502");
        StringAssert.Contains(stdout, "1 failing host(s)");
    }

    [TestMethod]
    [DataRow("poison")]
    [DataRow("replay")]
    public async Task An_unknown_queue_is_a_usage_error(string command)
    {
        var (exit, _, stderr) = await AdminAsync("queues", command, "--queue", "x");

        Assert.AreEqual(2, exit);
        StringAssert.Contains(stderr, "unknown queue 'x'");
    }
}
