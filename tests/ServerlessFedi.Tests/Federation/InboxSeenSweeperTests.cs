using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Expiry of the inbox's duplicate-check rows on real storage with a fake clock: day-bucketed keys, a bounded sweep of
/// the days before the retention, and the hourly timer that runs it.
/// </summary>
[TestClass]
public sealed class InboxSeenSweeperTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void The_duplicate_check_key_depends_on_the_activity_and_its_UTC_day_only()
    {
        var morning = StorageKeys.InboxSeen("https://remote.example/activities/1", new DateTimeOffset(2026, 11, 20, 0, 30, 0, TimeSpan.FromHours(2)));
        var evening = StorageKeys.InboxSeen("https://remote.example/activities/1", new DateTimeOffset(2026, 11, 19, 23, 59, 0, TimeSpan.Zero));
        var next = StorageKeys.InboxSeen("https://remote.example/activities/1", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));

        Assert.AreEqual(evening, morning, "00:30 at UTC+2 is 22:30 UTC the day before");
        Assert.AreEqual(StorageKeys.Sha256Hex("https://remote.example/activities/1"), next.Rk);
        Assert.AreEqual("20261120-" + next.Rk[0], next.Pk);
        Assert.AreNotEqual(evening.Pk, next.Pk);
        Assert.IsLessThan(0, string.CompareOrdinal(evening.Pk, StorageKeys.InboxSeenPartitionsBefore(Start)), "the day before sorts below the bound");
        Assert.IsGreaterThanOrEqualTo(0, string.CompareOrdinal(next.Pk, StorageKeys.InboxSeenPartitionsBefore(Start)), "the day itself does not");
    }

    [TestMethod]
    public async Task Rows_of_days_before_the_retention_are_deleted_and_recent_ones_stay()
    {
        var time = new FakeTimeProvider(Start);
        var s = TestStorage.Services(time);
        var table = await s.Tables.GetAsync(StorageNames.InboxSeenTable);
        await SeenAsync(table, Start.AddDays(-3), 230);
        await SeenAsync(table, Start.AddDays(-2), 40);
        await SeenAsync(table, Start.AddDays(-1), 30);
        await SeenAsync(table, Start, 20);
        var sweeper = new InboxSeenSweeper(new InboxSeenStore(s.Tables), time, NullLogger<InboxSeenSweeper>.Instance);

        Assert.AreEqual(230, await sweeper.SweepAsync(CancellationToken.None));
        CollectionAssert.AreEquivalent(new[] { "20261118", "20261119", "20261120" }, await DaysAsync(table));
        Assert.AreEqual(0, await sweeper.SweepAsync(CancellationToken.None), "a second run finds nothing");

        time.Advance(TimeSpan.FromDays(1));
        Assert.AreEqual(40, await sweeper.SweepAsync(CancellationToken.None));
        CollectionAssert.AreEquivalent(new[] { "20261119", "20261120" }, await DaysAsync(table));
    }

    [TestMethod]
    public async Task A_run_deletes_at_most_its_limit_and_the_next_run_continues()
    {
        var time = new FakeTimeProvider(Start);
        var s = TestStorage.Services(time);
        var table = await s.Tables.GetAsync(StorageNames.InboxSeenTable);
        await SeenAsync(table, Start.AddDays(-5), 150);
        await SeenAsync(table, Start.AddDays(-4), 100);
        await SeenAsync(table, Start, 10);
        var sweeper = new InboxSeenSweeper(new InboxSeenStore(s.Tables), time, NullLogger<InboxSeenSweeper>.Instance);

        Assert.AreEqual(120, await sweeper.SweepAsync(120, CancellationToken.None));
        Assert.AreEqual(120, await sweeper.SweepAsync(120, CancellationToken.None));
        Assert.AreEqual(10, await sweeper.SweepAsync(120, CancellationToken.None));
        CollectionAssert.AreEquivalent(new[] { "20261120" }, await DaysAsync(table));
        Assert.AreEqual(10, (await RowsAsync(table)).Count);
    }

    [TestMethod]
    public void The_sweep_is_an_hourly_timer_without_app_settings_in_its_schedule()
    {
        var function = FunctionsApp.Metadata.Single(f => f.Name == "InboxSeenCleanup");

        Assert.AreEqual("timerTrigger", function.Trigger!.Type, ignoreCase: true);
        Assert.AreEqual("0 43 * * * *", function.Trigger.Schedule);
    }

    /// <summary>Rows as the inbox writes them for <paramref name="count"/> activities received at <paramref name="at"/>.</summary>
    private static async Task SeenAsync(TableClient table, DateTimeOffset at, int count)
    {
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var id = $"https://remote.example/activities/{at:yyyyMMdd}/{i}";
            var (pk, rk) = StorageKeys.InboxSeen(id, at);
            return new TableEntity(pk, rk) { ["ActivityId"] = id, ["ReceivedAt"] = at };
        });
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
            }
        }
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<string[]> DaysAsync(TableClient table) =>
        [.. (await RowsAsync(table)).Select(r => r.PartitionKey[..8]).Distinct()];
}
