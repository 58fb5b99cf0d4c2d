using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, item 8: the inbox's duplicate check keeps one table per UTC week and drops old weeks whole, against Azurite,
/// with the storage calls counted on the wire.
/// </summary>
[TestClass]
public sealed class InboxSeenWeeklyStoreTests
{
    /// <summary>A Sunday evening; the next week starts at midnight.</summary>
    private static readonly DateTimeOffset Sunday = new(2026, 11, 29, 22, 0, 0, TimeSpan.Zero);

    private StorageFaults _faults = null!;
    private TestServices _services = null!;
    private FakeTimeProvider _time = null!;
    private InboxSeenWeeklyStore _seen = null!;

    [TestInitialize]
    public void Initialize()
    {
        _faults = new StorageFaults();
        _time = new FakeTimeProvider(Sunday);
        _services = TestStorage.Services(_time, storageOptions: _faults.AddTo);
        _seen = new InboxSeenWeeklyStore(new WeeklyTables(_services.Account, _services.Tables), _time);
    }

    [TestCleanup]
    public async Task Cleanup() =>
        await new WeeklyTables(_services.Account, _services.Tables).DeleteWeeksBeforeAsync(StorageNames.InboxSeenTable, DateTimeOffset.MaxValue.AddDays(-8), CancellationToken.None);

    private Task<bool> ClaimAsync(string id) => _seen.TryClaimAsync(id, _time.GetUtcNow(), null, CancellationToken.None);

    private async Task<List<string>> TablesAsync()
    {
        var stem = _services.Tables.PhysicalName(StorageNames.InboxSeenTable);
        var names = new List<string>();
        await foreach (var table in _services.Account.Tables.QueryAsync(Azure.Data.Tables.TableServiceClient.CreateQueryFilter($"TableName ge {stem} and TableName lt {stem + "~"}")))
        {
            names.Add(table.Name[stem.Length..]);
        }

        return names;
    }

    [TestMethod]
    public void Weeks_start_on_monday_at_midnight_utc()
    {
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), WeeklyTables.WeekOf(Sunday));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), WeeklyTables.WeekOf(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero)));
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), WeeklyTables.WeekOf(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.FromHours(1))), "Monday 00:30 in Berlin is still Sunday in UTC");
        Assert.AreEqual("inboxseen20261123", WeeklyTables.WeekName(StorageNames.InboxSeenTable, Sunday));
    }

    [TestMethod]
    public async Task An_activity_is_claimed_once_and_its_repeat_is_recognised_across_the_start_of_a_week()
    {
        Assert.IsTrue(await ClaimAsync("https://remote.example/activities/1"));
        Assert.IsFalse(await ClaimAsync("https://remote.example/activities/1"), "same week");

        _time.Advance(TimeSpan.FromHours(3)); // Monday 01:00
        Assert.IsFalse(await ClaimAsync("https://remote.example/activities/1"), "the next week still looks into the previous one");
        Assert.IsTrue(await ClaimAsync("https://remote.example/activities/2"));
    }

    [TestMethod]
    public async Task Past_the_repeat_window_a_claim_is_one_insert_and_within_it_one_insert_and_one_read()
    {
        _time.Advance(TimeSpan.FromHours(3)); // Monday 01:00: within the window
        await ClaimAsync("https://remote.example/activities/warm-up"); // creates the week's table
        _faults.Attempts.Clear();
        await ClaimAsync("https://remote.example/activities/3");
        CollectionAssert.AreEqual(new[] { "POST", "GET" }, _faults.Attempts.Select(a => a.Split(' ')[0]).ToArray(), string.Join(", ", _faults.Attempts));

        _time.Advance(InboxSeenWeeklyStore.RepeatWindow);
        _faults.Attempts.Clear();
        Assert.IsTrue(await ClaimAsync("https://remote.example/activities/4"));
        CollectionAssert.AreEqual(new[] { "POST" }, _faults.Attempts.Select(a => a.Split(' ')[0]).ToArray(), string.Join(", ", _faults.Attempts));
    }

    [TestMethod]
    public async Task A_proven_activity_older_than_the_week_is_looked_for_in_the_previous_week_past_the_window()
    {
        Assert.IsTrue(await ClaimAsync("https://remote.example/activities/5"));
        _time.Advance(TimeSpan.FromDays(3)); // Wednesday: past the window

        Assert.IsFalse(await _seen.TryClaimAsync("https://remote.example/activities/5", _time.GetUtcNow(), Sunday, CancellationToken.None));
    }

    [TestMethod]
    public async Task An_insert_retried_after_its_answer_was_lost_is_still_a_first_claim()
    {
        await ClaimAsync("https://remote.example/activities/warm-up");
        var table = _services.Tables.PhysicalName(WeeklyTables.WeekName(StorageNames.InboxSeenTable, Sunday));
        _faults.Fail(r => r == $"POST /{table}", times: 1, status: 503, afterSending: true);

        Assert.IsTrue(await ClaimAsync("https://remote.example/activities/6"), "the retry met the row the lost attempt wrote");
        Assert.AreEqual(1, _faults.Injected.Count);
        Assert.IsFalse(await ClaimAsync("https://remote.example/activities/6"), "a real repeat is still one");
    }

    [TestMethod]
    public async Task Weeks_before_the_previous_one_and_the_table_of_earlier_versions_are_dropped_whole()
    {
        var legacy = _services.Account.Tables.GetTableClient(_services.Tables.PhysicalName(StorageNames.InboxSeenTable));
        await legacy.CreateIfNotExistsAsync();
        for (var week = 0; week < 4; week++)
        {
            if (week > 0)
            {
                _time.Advance(WeeklyTables.Week);
            }

            Assert.IsTrue(await ClaimAsync($"https://remote.example/activities/w{week}"));
        }

        _faults.Attempts.Clear();
        var dropped = await _seen.ExpireAsync(CancellationToken.None);

        Assert.AreEqual(3, dropped, "the first two weeks and the table of earlier versions");
        CollectionAssert.AreEquivalent(new[] { "20261207", "20261214" }, (await TablesAsync()).ToArray(), "the previous week and this one stay");
        Assert.AreEqual(3, _faults.Count(a => a.StartsWith("DELETE /Tables(", StringComparison.Ordinal)), "one delete per table, whatever its rows");
        Assert.IsTrue(_faults.Attempts.All(a => a.StartsWith("DELETE /Tables(", StringComparison.Ordinal) || a == "GET /Tables"), "and the listing: " + string.Join(", ", _faults.Attempts));
        Assert.AreEqual(0, await _seen.ExpireAsync(CancellationToken.None));
    }
}
