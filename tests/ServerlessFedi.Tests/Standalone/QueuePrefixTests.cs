using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>
/// <c>Fedi__StoragePrefix</c> and the work queues: the queue-name settings are the full names both hosts bind, so with a
/// prefix they must carry it, and two instances with different prefixes in one storage account never share a queue.
/// </summary>
[TestClass]
public sealed class QueuePrefixTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Queue_names_without_the_storage_prefix_stop_start_up_naming_the_expected_name()
    {
        var prefix = TestStorage.NewPrefix();
        var configuration = TestStorage.Configuration(prefix, extra: new Dictionary<string, string?>
        {
            [FederationQueues.InboxSetting] = "inbox",
            [FederationQueues.DeliverSetting] = "deliver",
        });

        var error = Assert.ThrowsExactly<FediConfigurationException>(() => new ServiceCollection().AddFedi(configuration));

        Assert.HasCount(2, error.Errors);
        Assert.Contains($"FediInboxQueue 'inbox' must start with '{prefix}-'", error.Errors[0]);
        Assert.Contains($"'{prefix}-inbox'", error.Errors[0]);
        Assert.Contains("FediDeliverQueue", error.Errors[1]);
    }

    [TestMethod]
    public void Without_a_prefix_any_valid_queue_name_is_accepted()
    {
        var configuration = TestStorage.Configuration("", extra: new Dictionary<string, string?>
        {
            [FederationQueues.InboxSetting] = "inbox",
            [FederationQueues.FanoutSetting] = "fanout",
            [FederationQueues.DeliverSetting] = "deliver",
            [FederationQueues.AccountsSetting] = "accounts",
            [FederationQueues.MediaSetting] = "media",
            [FederationQueues.PushSetting] = "push",
        });

        Assert.AreEqual("inbox,fanout,deliver,accounts,media,push", string.Join(',', FederationQueues.FromConfiguration(configuration).All));
    }

    [TestMethod]
    public async Task Two_instances_with_different_prefixes_on_one_storage_account_do_not_take_each_others_messages()
    {
        await using var a = await TestInstance.StartAsync();
        await using var b = await TestInstance.StartAsync();
        var listenersA = await StopListenersAsync(a);
        var listenersB = await StopListenersAsync(b);

        // Each host listens on the queues its own app sends to, all carrying its prefix, none shared.
        CollectionAssert.AreEquivalent(a.Services.GetRequiredService<FederationQueues>().All.ToArray(), listenersA.Select(l => l.QueueName).ToArray());
        Assert.IsTrue(listenersA.All(l => l.QueueName.StartsWith(a.Prefix + "-", StringComparison.Ordinal)));
        Assert.IsTrue(listenersB.All(l => l.QueueName.StartsWith(b.Prefix + "-", StringComparison.Ordinal)));

        await a.Services.GetRequiredService<WorkQueue>().SendAccountDeletionAsync(new AccountDeletionMessage(null, null, AccountDeletionMessage.Finish), TestContext.CancellationToken);

        foreach (var listener in listenersB)
        {
            Assert.AreEqual(0, await listener.PollOnceAsync(TestContext.CancellationToken), $"B's {listener.QueueName} received A's message");
        }

        var accountsA = a.Services.GetRequiredService<StorageAccount>().RawQueues.GetQueueClient(a.Services.GetRequiredService<FederationQueues>().Accounts);
        Assert.AreEqual(1, (await accountsA.PeekMessagesAsync(cancellationToken: TestContext.CancellationToken)).Value.Length);
    }

    private async Task<List<QueueTriggerListener>> StopListenersAsync(TestInstance instance)
    {
        var listeners = instance.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().ToList();
        foreach (var listener in listeners)
        {
            await listener.StopAsync(TestContext.CancellationToken);
        }

        return listeners;
    }
}
