using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Deletes expired rows of the <c>inboxseen</c> table (the inbox's duplicate check, see <see cref="StorageKeys.InboxSeen"/>).
/// The check only consults the current UTC day's rows, so older days serve nothing; they are kept for <see cref="Retention"/>
/// and then removed. Expired rows are found with one PK range query (their partitions sort before the cut-off day) and
/// deleted 100 per entity group transaction, at most <see cref="MaxDeletesPerRun"/> per run (the next run continues).
/// Storage: 1 range query per 1,000 expired rows + 1 batch per 100 (per partition); nothing expired: 1 query.
/// </summary>
public sealed class InboxSeenSweeper(FediTables tables, TimeProvider time, ILogger<InboxSeenSweeper> logger)
{
    /// <summary>Days before the one this far back are deleted (Mastodon forgets processed activity ids within hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Bound per run, so a backlog (a first run, a long outage) is worked off over several runs.</summary>
    public const int MaxDeletesPerRun = 20_000;

    /// <summary>Entity group transactions hold at most 100 entities of one partition.</summary>
    private const int BatchSize = 100;

    /// <summary>Deletes up to <see cref="MaxDeletesPerRun"/> expired rows; returns how many were deleted.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken) => SweepAsync(MaxDeletesPerRun, cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> rows of days before the retention; returns how many were deleted.</summary>
    public async Task<int> SweepAsync(int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InboxSeenTable, cancellationToken);
        var before = StorageKeys.InboxSeenPartitionsBefore(time.GetUtcNow() - Retention);
        var deleted = 0;
        var batch = new List<TableEntity>(BatchSize);
        var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey lt {before}"), maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            if (deleted + batch.Count >= limit)
            {
                break;
            }

            if (batch.Count == BatchSize || (batch.Count > 0 && batch[0].PartitionKey != row.PartitionKey))
            {
                deleted += await DeleteAsync(table, batch, cancellationToken);
                batch.Clear();
            }

            batch.Add(row);
        }

        deleted += await DeleteAsync(table, batch, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} inbox duplicate-check rows of days before {Day}", deleted, before);
        }

        return deleted;
    }

    private static async Task<int> DeleteAsync(TableClient table, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        try
        {
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // Another run deleted some of them first: delete the rest one by one.
            foreach (var row in rows)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken); // a 404 does not throw
            }
        }

        return rows.Count;
    }
}
