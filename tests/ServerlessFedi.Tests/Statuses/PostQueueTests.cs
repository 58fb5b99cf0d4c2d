using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Team;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// Issue 13 item 2, a post's writes in the request: what a post leaves to its queue messages (its guard, sent first, and
/// its fan-out's first message), seen on the queue itself and in the storage requests the post makes (Azurite, no
/// listeners: the tests run the messages).
/// </summary>
[TestClass]
public sealed class PostQueueTests
{
    private sealed class Core : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public Core()
        {
            var configuration = TestStorage.Configuration(TestStorage.NewPrefix());
            _services = new ServiceCollection().AddFedi(configuration)
                .AddSingleton(StorageAccount.FromConfiguration(configuration, configureOptions: Faults.AddTo))
                .BuildServiceProvider();
        }

        public StorageFaults Faults { get; } = new();

        public T Get<T>()
            where T : notnull => _services.GetRequiredService<T>();

        public string FanoutQueue => Get<WorkQueue>().Names.Fanout;

        public async Task<LocalAccount> AccountAsync()
        {
            var created = (await Get<AccountStore>().CreateAsync(new NewAccount("p" + Guid.NewGuid().ToString("N")[..10], "Correct-Horse-42-battery"))).Account!;
            return (await Get<AccountStore>().GetByIdAsync(created.Id, CancellationToken.None))!;
        }

        public PendingAudit Audit(LocalAccount account) => Get<AuditStore>().Prepare(account.Id, "pressestelle", "Tusky", "POST /api/v1/statuses", null);

        /// <summary>The messages visible on the fan-out queue (taken off it, so they count one attempt).</summary>
        public async Task<List<Azure.Storage.Queues.Models.QueueMessage>> TakeFanoutAsync() =>
            [.. (await Get<StorageAccount>().Queues.GetQueueClient(FanoutQueue).ReceiveMessagesAsync(32)).Value];

        public async Task<List<AuditEntry>> AuditOfAsync(string accountId)
        {
            var rows = new List<AuditEntry>();
            await foreach (var row in Get<AuditStore>().ListAsync(accountId))
            {
                rows.Add(row);
            }

            return rows;
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }

    private static FanoutMessage Fanout(Azure.Storage.Queues.Models.QueueMessage message) =>
        JsonSerializer.Deserialize(message.Body.ToString(), QueueJsonContext.Default.FanoutMessage)!;

    [TestMethod]
    public async Task A_post_leaves_its_audit_row_to_its_fan_out_which_records_it_once()
    {
        await using var core = new Core();
        var author = await core.AccountAsync();
        var audit = core.Audit(author);

        var result = await core.Get<StatusService>().CreateAsync(author, new NewStatus("Ferry timetable for the holidays.") { Audit = audit }, CancellationToken.None);

        Assert.IsTrue(result.AuditQueued, "the request records nothing itself");
        Assert.IsEmpty(await core.AuditOfAsync(author.Id));
        var first = Fanout((await core.TakeFanoutAsync()).Single());
        Assert.AreEqual(result.Status!.Id, first.Audit?.Entry.ObjectId, "the fan-out's first message carries the row, naming the post");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await core.Get<PostGuardProcessor>().ApplyPostAsync(first, CancellationToken.None);
        }

        var row = (await core.AuditOfAsync(author.Id)).Single();
        Assert.AreEqual((audit.Entry.Id, result.Status.Id, "pressestelle", "Tusky"), (row.Id, row.ObjectId, row.Staff, row.Application), "the row the request prepared, once");
    }

    [TestMethod]
    public async Task A_post_without_an_audit_row_carries_none_and_its_fan_out_records_nothing()
    {
        await using var core = new Core();
        var author = await core.AccountAsync();

        var result = await core.Get<StatusService>().CreateAsync(author, new NewStatus("A scheduled post, published by the timer."), CancellationToken.None);

        Assert.IsFalse(result.AuditQueued);
        var first = Fanout((await core.TakeFanoutAsync()).Single());
        Assert.IsNull(first.Audit);
        await core.Get<PostGuardProcessor>().ApplyPostAsync(first, CancellationToken.None);
        Assert.IsEmpty(await core.AuditOfAsync(author.Id));
    }
}
