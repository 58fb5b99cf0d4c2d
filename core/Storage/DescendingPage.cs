using Azure.Data.Tables;

namespace ServerlessFedi.Storage;

/// <summary>
/// One page of a partition whose row keys are <see cref="StorageKeys.Descending"/> ids (newest first), with Mastodon's
/// cursors: ids below <c>maxId</c>, above <c>sinceId</c>; with <c>minId</c> the rows just above it. One range query;
/// <c>minId</c> reads every row between the cursor and the newest (clients use it for small gaps: "load newer").
/// </summary>
public static class DescendingPage
{
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(
        TableClient table, string partition, string? maxId, string? sinceId, string? minId, int limit, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (maxId is not null && SnowflakeIds.IsValid(maxId))
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {StorageKeys.Descending(maxId)}");
        }

        var lowerId = minId is not null && SnowflakeIds.IsValid(minId) ? minId : sinceId is not null && SnowflakeIds.IsValid(sinceId) ? sinceId : null;
        if (lowerId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {StorageKeys.Descending(lowerId)}");
        }

        var rows = new List<T>();
        if (minId is not null && lowerId == minId)
        {
            await foreach (var row in table.QueryAsync<T>(filter, select: select, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            return rows.Count > limit ? rows[^limit..] : rows;
        }

        await foreach (var row in table.QueryAsync<T>(filter, maxPerPage: limit, select: select, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count >= limit)
            {
                break;
            }
        }

        return rows;
    }
}
