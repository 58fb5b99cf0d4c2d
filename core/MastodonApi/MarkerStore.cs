using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Read markers (docs: methods/markers, entities/Marker) in the <c>accounts</c> table, one row per account and timeline.
/// Storage: get 1 range query over the account's marker partition; set per timeline 1 read + 1 conditional write
/// (the version increments without lost updates; retried on a concurrent write).
/// </summary>
public sealed class MarkerStore(FediTables tables, TimeProvider time)
{
    public static IReadOnlyList<string> Timelines { get; } = ["home", "notifications"];

    public async Task<IReadOnlyList<Marker>> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var markers = new List<Marker>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.MarkersPartition(accountId)}"), cancellationToken: cancellationToken))
        {
            markers.Add(FromEntity(row));
        }

        return markers;
    }

    public async Task<Marker> SetAsync(string accountId, string timeline, string lastReadId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Marker(accountId, timeline);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            var version = existing.HasValue ? (existing.Value!.GetInt64("Version") ?? 0) + 1 : 0;
            var row = new TableEntity(pk, rk) { ["LastReadId"] = lastReadId, ["Version"] = version, ["UpdatedAt"] = time.GetUtcNow() };
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(row, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken);
                }

                return FromEntity(row);
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict && attempt < 10)
            {
                // Another device moved the marker at the same moment: read again.
            }
        }
    }

    private static Marker FromEntity(TableEntity row) =>
        new(row.RowKey, row.GetString("LastReadId") ?? "0", row.GetInt64("Version") ?? 0, row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch);
}
