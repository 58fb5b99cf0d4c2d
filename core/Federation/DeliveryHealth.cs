using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Which remote hosts keep failing. A host failing for longer than <see cref="UnavailableAfter"/> is skipped until it
/// answers a delivery or sends us an activity. Storage: success 1 delete (a no-op 404 when healthy); failure 1 read + 1 upsert;
/// check 1 point read.
/// </summary>
public sealed class DeliveryHealth(FediTables tables, TimeProvider time)
{
    public static readonly TimeSpan UnavailableAfter = TimeSpan.FromDays(3);

    public async Task RecordSuccessAsync(string host, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var (pk, rk) = StorageKeys.DeliveryDomain(host);
        // A healthy host has no row: the delete answers 404 as a response, not an exception.
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    public async Task RecordFailureAsync(string host, string reason, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var (pk, rk) = StorageKeys.DeliveryDomain(host);
        var now = time.GetUtcNow();
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        var first = existing.HasValue ? existing.Value!.GetDateTimeOffset("FirstFailureAt") ?? now : now;
        var count = existing.HasValue ? (existing.Value!.GetInt64("Failures") ?? 0) + 1 : 1;
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["Host"] = host.ToLowerInvariant(),
            ["FirstFailureAt"] = first,
            ["LastFailureAt"] = now,
            ["Failures"] = count,
            ["LastReason"] = reason.Length > 500 ? reason[..500] : reason,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> IsUnavailableAsync(string host, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var (pk, rk) = StorageKeys.DeliveryDomain(host);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["FirstFailureAt"], cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetDateTimeOffset("FirstFailureAt") is { } first && time.GetUtcNow() - first > UnavailableAfter;
    }

    public async Task<IReadOnlyList<(string Host, DateTimeOffset FirstFailureAt, DateTimeOffset LastFailureAt, long Failures, string? LastReason, bool Unavailable)>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var now = time.GetUtcNow();
        var list = new List<(string, DateTimeOffset, DateTimeOffset, long, string?, bool)>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "domain", cancellationToken: cancellationToken))
        {
            var first = row.GetDateTimeOffset("FirstFailureAt") ?? now;
            list.Add((row.GetString("Host"), first, row.GetDateTimeOffset("LastFailureAt") ?? now, row.GetInt64("Failures") ?? 0, row.GetString("LastReason"), now - first > UnavailableAfter));
        }

        return list;
    }

    /// <summary>The lower-cased hosts that have a delivery-health row (1 projected range query).</summary>
    public async Task<IReadOnlyList<string>> ListHostsAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var hosts = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{StorageKeys.DeliveryDomainPartition}'", select: ["Host"], cancellationToken: cancellationToken))
        {
            if (row.GetString("Host") is { Length: > 0 } host)
            {
                hosts.Add(host.ToLowerInvariant());
            }
        }

        return hosts;
    }
}
