using System.Globalization;
using Azure.Data.Tables;

namespace ServerlessFedi.Storage;

/// <summary>
/// One page of a partition whose row keys are <see cref="StorageKeys.Descending"/> ids (newest first), with Mastodon's
/// cursors: ids below <c>maxId</c>, above <c>sinceId</c>; with <c>minId</c> the <c>limit</c> rows just above it.
/// </summary>
/// <remarks>
/// Cost: without <c>minId</c>, one range query (one transaction per 1,000 rows, and a page is at most 1,000 rows).
/// Tables only scan in key order, which here is newest first, so the rows just above <c>minId</c> are the last ones of the
/// range: <c>minId</c> costs one query when at most 1,000 rows lie between the cursor and the top of the range (the usual
/// "load newer"); otherwise it searches for a window above the cursor holding between <c>limit</c> and 1,000 rows, one
/// single-page query per probe: windows growing eightfold from about a minute of ids, then halving. That is a few
/// queries in practice and never more than <see cref="MaxProbes"/>, however many rows the partition holds.
/// </remarks>
public static class DescendingPage
{
    /// <summary>Rows one table query returns at most; a window that fits in one page can be read oldest-first.</summary>
    public const int PageSize = 1000;

    /// <summary>Upper bound on the single-page queries one <c>minId</c> read makes.</summary>
    public const int MaxProbes = 64;

    // 2^32 id units: 65.5 seconds of snowflake time (ids are milliseconds << 16).
    private const long FirstWindow = 1L << 32;
    private const long LargestId = 999_999_999_999_999_999L;

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(
        TableClient table, string partition, string? maxId, string? sinceId, string? minId, int limit, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, PageSize);
        var columns = select?.ToList();
        var top = maxId is not null && SnowflakeIds.IsValid(maxId) ? Parse(maxId) : LargestId + 1;
        if (minId is not null && SnowflakeIds.IsValid(minId))
        {
            return await AboveAsync<T>(table, partition, Parse(minId), top, limit, columns, cancellationToken);
        }

        var bottom = sinceId is not null && SnowflakeIds.IsValid(sinceId) ? Parse(sinceId) : -1;
        var rows = new List<T>();
        await foreach (var row in table.QueryAsync<T>(Between(partition, bottom, top), maxPerPage: limit, select: columns, cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count >= limit)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>The <paramref name="limit"/> rows with ids just above <paramref name="bottom"/> and below <paramref name="top"/>, newest first.</summary>
    private static async Task<IReadOnlyList<T>> AboveAsync<T>(
        TableClient table, string partition, long bottom, long top, int limit, List<string>? columns, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var (rows, more) = await FirstPageAsync<T>(table, partition, bottom, top, columns, cancellationToken);
        if (!more)
        {
            return Last(rows, limit);
        }

        // Windows (bottom, bottom + width]: `few` holds fewer than `limit` rows (`fewRows`), `many` more than a page.
        // Widths grow eightfold while below `many`, then halve. A row has one id, so a window's count grows by at most
        // one per id: a crowded and a sparse window are at least PageSize - limit ids apart, which bounds the halving.
        IReadOnlyList<T> fewRows = [];
        long few = 0, many = top - 1 - bottom;
        var width = Math.Min(FirstWindow, many / 2);
        for (var probe = 1; probe < MaxProbes && many - few > 1; probe++)
        {
            (rows, more) = await FirstPageAsync<T>(table, partition, bottom, bottom + width + 1, columns, cancellationToken);
            if (!more && rows.Count >= limit)
            {
                return Last(rows, limit);
            }

            if (more)
            {
                many = width;
                width = few + ((many - few) / 2);
            }
            else
            {
                (few, fewRows) = (width, rows);
                width = many / 8 > few ? few * 8 : few + ((many - few) / 2);
            }

            width = Math.Max(few + 1, Math.Min(width, many - 1));
        }

        // Reached only if the service cut pages short: the rows just above the cursor are still right, only fewer.
        return fewRows;
    }

    private static async Task<(IReadOnlyList<T> Rows, bool More)> FirstPageAsync<T>(
        TableClient table, string partition, long bottom, long top, List<string>? columns, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        await foreach (var page in table.QueryAsync<T>(Between(partition, bottom, top), maxPerPage: PageSize, select: columns, cancellationToken: cancellationToken).AsPages())
        {
            return (page.Values, page.ContinuationToken is not null);
        }

        return ([], false);
    }

    private static IReadOnlyList<T> Last<T>(IReadOnlyList<T> rows, int limit) =>
        rows.Count > limit ? rows.Skip(rows.Count - limit).ToList() : rows;

    /// <summary>Rows with <paramref name="bottom"/> &lt; id &lt; <paramref name="top"/> (either bound may lie outside the id range).</summary>
    private static string Between(string partition, long bottom, long top)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (top <= LargestId)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {Key(top)}");
        }

        // Rows of other shapes in the partition (a notification's cause) sort after every id and stay out.
        filter += " and " + (bottom >= 0 ? TableClient.CreateQueryFilter($"RowKey lt {Key(bottom)}") : TableClient.CreateQueryFilter($"RowKey le {Key(0)}"));
        return filter;
    }

    private static string Key(long id) => StorageKeys.Descending(id.ToString("D18", CultureInfo.InvariantCulture));

    private static long Parse(string id) => long.Parse(id, CultureInfo.InvariantCulture);
}
