using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>Queue trigger semantics of the host, against Azurite: Base64, retries, visibility timeout, poison queue, batch size.</summary>
[TestClass]
[DoNotParallelize]
public sealed class QueueTriggerListenerTests
{
    private static readonly FunctionDescriptor Function = new()
    {
        Name = "RecordingQueue",
        EntryPoint = typeof(RecordingQueueFunction).FullName + ".Run",
        Bindings = [new BindingDescriptor { Name = "message", Type = "queueTrigger", Direction = "In", QueueName = "ignored", Connection = "AzureWebJobsStorage" }],
    };

    private StorageAccount _account = null!;
    private QueueClient _queue = null!;
    private QueueClient _poison = null!;

    [TestInitialize]
    public async Task Initialize()
    {
        RecordingQueueFunction.Received.Clear();
        _account = StorageAccount.FromConfiguration(TestStorage.Configuration(TestStorage.NewPrefix()));
        var name = TestStorage.NewPrefix() + "-work";
        _queue = _account.RawQueues.GetQueueClient(name);
        _poison = _account.RawQueues.GetQueueClient(name + "-poison");
        await _queue.CreateIfNotExistsAsync();
    }

    [TestCleanup]
    public async Task Cleanup()
    {
        await _queue.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
    }

    private QueueTriggerListener Listener(HostJsonSettings? settings = null, TimeSpan? lease = null, TimeProvider? time = null) => new(
        Function,
        _queue,
        _poison,
        settings ?? new HostJsonSettings { QueueMaxDequeueCount = 3, QueueVisibilityTimeout = TimeSpan.Zero, QueueBatchSize = 16 },
        new FunctionInvoker(new ServiceCollection().BuildServiceProvider(), typeof(RecordingQueueFunction).Assembly),
        time ?? new FakeTimeProvider(),
        NullLogger.Instance,
        lease);

    [TestMethod]
    public async Task A_message_sent_by_our_storage_client_is_processed_and_deleted()
    {
        // StorageAccount.Queues is what the app sends with: it must Base64-encode, or the real host poisons every message.
        await _account.Queues.GetQueueClient(_queue.Name).SendMessageAsync("héllo {\"json\":true}");

        Assert.AreEqual(1, await Listener().PollOnceAsync(CancellationToken.None));

        Assert.AreEqual("héllo {\"json\":true}", RecordingQueueFunction.Received.Single().Message);
        Assert.AreEqual(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [TestMethod]
    public async Task A_message_that_is_not_Base64_goes_straight_to_the_poison_queue()
    {
        await _queue.SendMessageAsync("plain text, not base64!");

        await Listener().PollOnceAsync(CancellationToken.None);

        Assert.IsEmpty(RecordingQueueFunction.Received);
        var poisoned = (await _poison.ReceiveMessagesAsync(10)).Value;
        Assert.HasCount(1, poisoned);
        Assert.AreEqual("plain text, not base64!", poisoned[0].MessageText);
        Assert.AreEqual(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [TestMethod]
    public async Task A_failing_message_is_retried_until_maxDequeueCount_then_moved_to_poison()
    {
        await _queue.SendMessageAsync(Base64("fail always"));
        var listener = Listener();

        for (var i = 0; i < 5; i++)
        {
            await listener.PollOnceAsync(CancellationToken.None);
        }

        Assert.AreEqual("1,2,3", string.Join(",", RecordingQueueFunction.Received.Select(r => r.DequeueCount)));
        var poisoned = (await _poison.ReceiveMessagesAsync(10)).Value;
        Assert.HasCount(1, poisoned);
        Assert.AreEqual("fail always", Encoding.UTF8.GetString(Convert.FromBase64String(poisoned[0].MessageText)));
        Assert.AreEqual(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [TestMethod]
    public async Task A_failed_message_stays_invisible_for_the_visibility_timeout()
    {
        await _queue.SendMessageAsync(Base64("fail once"));
        var listener = Listener(new HostJsonSettings { QueueMaxDequeueCount = 5, QueueVisibilityTimeout = TimeSpan.FromMinutes(5) });

        await listener.PollOnceAsync(CancellationToken.None);
        var secondPoll = await listener.PollOnceAsync(CancellationToken.None);

        Assert.AreEqual(0, secondPoll);
        Assert.HasCount(1, RecordingQueueFunction.Received);
        var peeked = (await _queue.PeekMessagesAsync()).Value;
        Assert.IsEmpty(peeked, "the message must be invisible, not deleted and not poisoned");
        Assert.AreEqual(1, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [TestMethod]
    public async Task One_poll_takes_at_most_batchSize_messages()
    {
        for (var i = 0; i < 5; i++)
        {
            await _queue.SendMessageAsync(Base64($"m{i}"));
        }

        var listener = Listener(new HostJsonSettings { QueueBatchSize = 2 });

        Assert.AreEqual(2, await listener.PollOnceAsync(CancellationToken.None));
        Assert.AreEqual(2, await listener.PollOnceAsync(CancellationToken.None));
        Assert.AreEqual(1, await listener.PollOnceAsync(CancellationToken.None));
        Assert.HasCount(5, RecordingQueueFunction.Received);
    }

    [TestMethod]
    public async Task The_next_batch_is_received_while_newBatchThreshold_or_fewer_are_in_flight()
    {
        // The WebJobs listener receives again as soon as no more than newBatchThreshold messages are still running: at
        // most batchSize + newBatchThreshold at once, not one batch at a time.
        for (var i = 0; i < 7; i++)
        {
            await _queue.SendMessageAsync(Base64($"hold{i}"));
        }

        RecordingQueueFunction.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = Listener(new HostJsonSettings { QueueBatchSize = 2, QueueNewBatchThreshold = 3 });

        var drain = listener.DrainAsync(CancellationToken.None);
        await Eventually.ValueAsync(() => Task.FromResult(RecordingQueueFunction.Received.Count), n => n >= 4, "two batches running at once");
        Assert.IsFalse(drain.IsCompleted);
        RecordingQueueFunction.Gate.SetResult();

        Assert.AreEqual(7, await drain);
        Assert.HasCount(7, RecordingQueueFunction.Received);
        Assert.AreEqual(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [TestMethod]
    public async Task A_message_running_longer_than_its_lease_stays_invisible_and_is_processed_once()
    {
        // The host renews a running message's visibility; without that, another instance receives it again after the
        // lease, and a fan-out slower than its lease is run over and over until its dequeue count poisons it.
        await _queue.SendMessageAsync(Base64("hold long"));
        RecordingQueueFunction.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lease = TimeSpan.FromSeconds(4);
        var running = Listener(lease: lease, time: TimeProvider.System).PollOnceAsync(CancellationToken.None);
        await Eventually.ValueAsync(() => Task.FromResult(RecordingQueueFunction.Received.Count), n => n == 1, "the message running");

        var until = DateTimeOffset.UtcNow + (lease * 2.5);
        while (DateTimeOffset.UtcNow < until)
        {
            Assert.IsEmpty((await _queue.PeekMessagesAsync()).Value, "the running message must stay invisible past its lease");
            await Task.Delay(250);
        }

        RecordingQueueFunction.Gate.SetResult();
        Assert.AreEqual(1, await running);
        Assert.HasCount(1, RecordingQueueFunction.Received);
        Assert.AreEqual(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, "deleted with the renewed pop receipt");
    }

    [TestMethod]
    public async Task A_missing_queue_counts_as_empty()
    {
        await _queue.DeleteAsync();

        Assert.AreEqual(0, await Listener().PollOnceAsync(CancellationToken.None));
    }

    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
}
