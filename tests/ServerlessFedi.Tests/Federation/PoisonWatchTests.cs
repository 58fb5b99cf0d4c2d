using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>Issue 17, item 10: what lands in a poison queue is counted and warned about, against Azurite.</summary>
[TestClass]
public sealed class PoisonWatchTests
{
    [TestMethod]
    public async Task A_poisoned_delivery_is_counted_and_warned_about_in_the_words_the_alert_rule_looks_for()
    {
        var services = TestStorage.Services();
        var queues = FederationQueues.FromConfiguration(services.Configuration);
        var log = new ListLogger();
        var watch = new PoisonWatch(new QueueCounts(services.Account), queues, log);
        try
        {
            Assert.AreEqual(0, await watch.CheckAsync(CancellationToken.None));
            Assert.IsEmpty(log.Lines, "nothing poisoned, nothing said");

            await new WorkQueue(services.Account, queues).SendDeliveryPoisonAsync(new DeliveryMessage("1", "https://down.example/inbox", "{}", null, 12, DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.AreEqual(1, await watch.CheckAsync(CancellationToken.None));

            var warning = log.Lines.Single();
            Assert.AreEqual(LogLevel.Warning, warning.Level);
            StringAssert.StartsWith(warning.Message, PoisonWatch.WarningPrefix + " 1 message(s): " + queues.Deliver + "-poison: 1");
            var counts = await watch.CountAsync(null, CancellationToken.None);
            Assert.AreEqual(new QueueCount(queues.Deliver, null, 1), counts.Single(c => c.Queue == queues.Deliver), "the work queue was never created; its poison twin holds one");
            Assert.AreEqual(new QueueCount(queues.Inbox, null, null), counts.Single(c => c.Queue == queues.Inbox));
        }
        finally
        {
            await services.Account.RawQueues.GetQueueClient(queues.Deliver + "-poison").DeleteIfExistsAsync();
        }
    }

    private sealed class ListLogger : ILogger<PoisonWatch>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
