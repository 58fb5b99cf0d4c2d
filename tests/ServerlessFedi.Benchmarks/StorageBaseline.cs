using System.Diagnostics;
using Azure.Data.Tables;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// What the storage endpoint itself sustains on this machine, for reading the delivery numbers: point reads of a missing
/// row (the delivery-health check every delivery makes) one at a time, with 8 in flight, and with as many in flight as
/// deliveries.
/// </summary>
public static class StorageBaseline
{
    public static async Task<StorageBaselineResult> MeasureAsync(TableClient table, int count, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(table);
        var serial = await ReadsPerSecondAsync(table, count / 4, 1);
        var eight = await ReadsPerSecondAsync(table, count, 8);
        var many = await ReadsPerSecondAsync(table, count, concurrency);
        return new StorageBaselineResult(1000 / serial, eight, concurrency, many);
    }

    private static async Task<double> ReadsPerSecondAsync(TableClient table, int count, int concurrency)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            await table.GetEntityIfExistsAsync<TableEntity>("baseline", $"missing{i}", cancellationToken: ct));
        return count / watch.Elapsed.TotalSeconds;
    }
}
