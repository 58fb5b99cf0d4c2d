using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Storage;

/// <summary>
/// Pages of a newest-first partition against Azurite, compared with the answer computed from all rows, counting the
/// requests each read sends.
/// </summary>
[TestClass]
public sealed class DescendingPageTests
{
    private const string Partition = "timeline";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static TableClient? _table;
    private static RequestCounter _counter = new();
    private static List<long> _ids = [];

    [ClassInitialize]
    public static async Task CreateAsync(TestContext context)
    {
        _ = context;
        _counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(_counter, HttpPipelinePosition.PerCall);
        _table = new TableClient(TestStorage.ConnectionString, TestStorage.NewPrefix() + "page", options);
        await _table.CreateIfNotExistsAsync();

        // 1,200 rows in one burst second, 900 spread over a month, 1,100 in another burst, 30 stragglers: a search
        // above a cursor has to cross crowded and sparse stretches.
        var ids = new SortedSet<long>();
        var random = new Random(7);
        void Burst(DateTimeOffset at, int count, TimeSpan spread)
        {
            while (count > 0)
            {
                var ms = at.ToUnixTimeMilliseconds() + random.NextInt64((long)spread.TotalMilliseconds);
                if (ids.Add((ms << 16) | (uint)random.Next(1 << 15)))
                {
                    count--;
                }
            }
        }

        Burst(Start, 1200, TimeSpan.FromSeconds(1));
        Burst(Start.AddDays(1), 900, TimeSpan.FromDays(30));
        Burst(Start.AddDays(40), 1100, TimeSpan.FromSeconds(2));
        Burst(Start.AddDays(41), 30, TimeSpan.FromDays(200));
        _ids = [.. ids];
        foreach (var chunk in _ids.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(id => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(Partition, StorageKeys.Descending(Id(id))) { ["StatusId"] = Id(id) })));
        }
    }

    [ClassCleanup]
    public static async Task DeleteAsync()
    {
        if (_table is not null)
        {
            await _table.DeleteAsync();
        }
    }

    [TestMethod]
    public async Task Min_id_answers_the_rows_just_above_the_cursor_wherever_it_lies()
    {
        var cursors = new List<long> { _ids[0] - 1, _ids[0], _ids[500], _ids[1199], _ids[1200], _ids[1700], _ids[2099], _ids[2100], _ids[2600], _ids[^31], _ids[^5], _ids[^1] };
        foreach (var cursor in cursors)
        {
            foreach (var limit in new[] { 1, 20, 40 })
            {
                var expected = _ids.Where(id => id > cursor).Take(limit).Reverse().Select(Id).ToList();

                var (rows, requests) = await PageAsync(maxId: null, sinceId: null, minId: Id(cursor), limit);

                CollectionAssert.AreEqual(expected, rows, $"min_id={cursor} limit={limit}");
                Assert.IsLessThanOrEqualTo(DescendingPage.MaxProbes, requests, $"min_id={cursor} limit={limit}");
            }
        }
    }

    [TestMethod]
    public async Task Min_id_below_max_id_stays_inside_both()
    {
        var (rows, _) = await PageAsync(maxId: Id(_ids[1500]), sinceId: null, minId: Id(_ids[100]), limit: 40);

        CollectionAssert.AreEqual(_ids.Skip(101).Take(40).Reverse().Select(Id).ToList(), rows);
        var (near, _) = await PageAsync(maxId: Id(_ids[105]), sinceId: null, minId: Id(_ids[100]), limit: 40);
        CollectionAssert.AreEqual(_ids.Skip(101).Take(4).Reverse().Select(Id).ToList(), near);
    }

    [TestMethod]
    public async Task Load_newer_with_a_small_gap_is_one_request()
    {
        var (rows, requests) = await PageAsync(maxId: null, sinceId: null, minId: Id(_ids[^10]), limit: 40);

        Assert.HasCount(9, rows);
        Assert.AreEqual(1, requests);
    }

    [TestMethod]
    public async Task A_far_cursor_is_found_with_a_handful_of_requests()
    {
        // 3,000 rows above the cursor, 1,200 of them in one second right above it.
        var (_, requests) = await PageAsync(maxId: null, sinceId: null, minId: Id(_ids[0] - 1), limit: 40);

        Assert.IsLessThanOrEqualTo(30, requests, $"{requests} requests");
    }

    [TestMethod]
    public async Task Max_id_and_since_id_read_one_page_newest_first()
    {
        var (rows, requests) = await PageAsync(maxId: Id(_ids[2000]), sinceId: Id(_ids[10]), minId: null, limit: 20);

        CollectionAssert.AreEqual(_ids.Take(2000).Reverse().Take(20).Select(Id).ToList(), rows);
        Assert.AreEqual(1, requests);
        var (tail, _) = await PageAsync(maxId: Id(_ids[15]), sinceId: Id(_ids[10]), minId: null, limit: 20);
        CollectionAssert.AreEqual(_ids.Skip(11).Take(4).Reverse().Select(Id).ToList(), tail);
    }

    [TestMethod]
    public async Task Cursors_that_are_not_ids_are_ignored()
    {
        var (rows, _) = await PageAsync(maxId: "abc", sinceId: "1", minId: "12345678901234567890", limit: 3);

        CollectionAssert.AreEqual(_ids.TakeLast(3).Reverse().Select(Id).ToList(), rows);
    }

    private static async Task<(List<string> Rows, int Requests)> PageAsync(string? maxId, string? sinceId, string? minId, int limit)
    {
        var before = _counter.Count;
        var rows = await DescendingPage.QueryAsync<TableEntity>(_table!, Partition, maxId, sinceId, minId, limit, ["StatusId"], CancellationToken.None);
        return (rows.Select(r => r.GetString("StatusId")).ToList(), _counter.Count - before);
    }

    private static string Id(long id) => id.ToString("D18", CultureInfo.InvariantCulture);

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
