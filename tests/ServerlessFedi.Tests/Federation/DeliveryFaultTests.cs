using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, item 7, through the running standalone host and its queue listener, with storage faults injected in front of
/// Azurite: a delivery whose POST succeeded is not POSTed again because the storage call after it failed.
/// </summary>
[TestClass]
public sealed class DeliveryFaultTests
{
    [TestMethod]
    public async Task A_delivery_whose_queue_message_could_not_be_deleted_is_not_posted_again_when_the_message_reappears()
    {
        var faults = new StorageFaults();
        await using var instance = await TestInstance.StartAsync(
            new Dictionary<string, string?> { ["Standalone:QueueLeaseSeconds"] = "2" },
            services => services.AddSingleton(sp => StorageAccount.FromConfiguration(sp.GetRequiredService<IConfiguration>(), configureOptions: options =>
            {
                faults.AddTo(options);
                options.Retry.Delay = TimeSpan.FromMilliseconds(1);
                options.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
            })));
        await using var peer = await FakePeer.StartAsync();
        var alice = await instance.CreateAccountAsync("alice");
        var rita = peer.AddActor("rita", sharedInbox: false);
        var deliver = instance.Services.GetRequiredService<FederationQueues>().Deliver;
        var deletes = (string request) => request.StartsWith($"DELETE /{deliver}/messages/", StringComparison.Ordinal);
        faults.Fail(deletes, times: StorageAccount.MaxRetries + 1);

        var like = $"{{\"type\":\"Like\",\"id\":\"{instance.BaseUrl}/users/alice#likes/1\",\"actor\":\"{instance.BaseUrl}/users/alice\",\"object\":\"{rita.Id}/statuses/1\"}}";
        await instance.Services.GetRequiredService<WorkQueue>().SendDeliveryAsync(new DeliveryMessage(alice.Id, rita.Inbox, like, null, 1, DateTimeOffset.UtcNow), null, CancellationToken.None);

        await Eventually.TrueAsync(
            () => Task.FromResult(faults.Injected.Count == StorageAccount.MaxRetries + 1 && faults.Count(deletes) > StorageAccount.MaxRetries + 1),
            "the first delete failed through every retry, then the message reappeared and was deleted");
        var queue = instance.Services.GetRequiredService<StorageAccount>().RawQueues.GetQueueClient(deliver);
        await Eventually.TrueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the message is gone");

        Assert.HasCount(1, peer.PostsTo(rita.InboxPath), "POSTed once, although the listener ran the message twice");
    }
}
