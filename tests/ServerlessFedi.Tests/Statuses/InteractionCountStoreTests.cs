using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// The favourites and reblogs counts without contention (issue 17): one transaction with the status row and the
/// counted marker, no pending row; the process's copy of the status takes the new counts instead of being read again.
/// Contention and retries are <see cref="InteractionEffectsTests"/>'.
/// </summary>
[TestClass]
public sealed class InteractionCountStoreTests
{
    [TestMethod]
    public async Task An_uncontended_count_costs_three_transactions_and_the_status_copy_shows_it_without_a_read()
    {
        using var transactions = new StorageTransactions();
        await using var services = new ServiceCollection().AddFedi(TestStorage.Configuration(TestStorage.NewPrefix())).BuildServiceProvider();
        var author = (await services.GetRequiredService<AccountStore>().CreateAsync(new NewAccount("c" + Guid.NewGuid().ToString("N")[..10], "Correct-Horse-42-battery"))).Account!;
        var statuses = services.GetRequiredService<StatusStore>();
        var status = new Status { Id = services.GetRequiredService<SnowflakeIds>().Next(), AccountId = author.Id, Text = "Storm warning", ContentHtml = "<p>Storm warning</p>", CreatedAt = DateTimeOffset.UtcNow };
        await statuses.AddAsync(status, CancellationToken.None);
        var counts = services.GetRequiredService<InteractionStore>().Counts;
        await statuses.GetManyRecentAsync([status.Id], CancellationToken.None);

        var tag = "count-" + Guid.NewGuid().ToString("N");
        StorageTransactions.TagFlow(tag);
        try
        {
            Assert.AreEqual((1L, 0L), await counts.ApplyAsync(status.Id, InteractionKind.Favourite, "https://remote.example/users/a", +1, CancellationToken.None));
            Assert.AreEqual(3, transactions.Of(tag), "range query, transaction, the account's copy (before: + the pending row's upsert)");
            Assert.AreEqual(1, (await statuses.GetManyRecentAsync([status.Id], CancellationToken.None)).Single().FavouritesCount);
            Assert.AreEqual(3, transactions.Of(tag), "the copy took the counts (before: read again)");
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }

        // Repeats, other kinds and uncounts stay exact on the same path.
        Assert.AreEqual((1L, 0L), await counts.ApplyAsync(status.Id, InteractionKind.Favourite, "https://remote.example/users/a", +1, CancellationToken.None));
        Assert.AreEqual((1L, 1L), await counts.ApplyAsync(status.Id, InteractionKind.Reblog, "https://remote.example/users/a", +1, CancellationToken.None));
        Assert.AreEqual((0L, 1L), await counts.ApplyAsync(status.Id, InteractionKind.Favourite, "https://remote.example/users/a", -1, CancellationToken.None, removedNow: true));
        Assert.AreEqual((0L, 1L), await counts.ApplyAsync(status.Id, InteractionKind.Favourite, "https://remote.example/users/a", -1, CancellationToken.None, removedNow: true));
        var stored = await statuses.GetAsync(status.Id, CancellationToken.None);
        Assert.AreEqual((0L, 1L), (stored!.FavouritesCount, stored.ReblogsCount));
        Assert.IsFalse(await counts.IsCountedAsync(status.Id, InteractionKind.Favourite, "https://remote.example/users/a", CancellationToken.None));
        Assert.IsTrue(await counts.IsCountedAsync(status.Id, InteractionKind.Reblog, "https://remote.example/users/a", CancellationToken.None));
    }
}
