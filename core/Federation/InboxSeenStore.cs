using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The inbox's duplicate check (<c>inboxseen</c> table, keys in <see cref="StorageKeys.InboxSeen"/>): inbound activity ids
/// already queued, bucketed by the UTC day of arrival, and their expiry. Storage: claim 1 insert; forget 1 delete;
/// expiry 1 range query per 1,000 rows + 1 entity group transaction per 100 rows of a partition.
/// </summary>
public sealed class InboxSeenStore(FediTables tables)
{
    /// <summary>Entity group transactions hold at most 100 entities of one partition.</summary>
    private const int BatchSize = 100;

    /// <summary>
    /// Records that <paramref name="activityId"/> arrived at <paramref name="receivedAt"/>; false when it already did that
    /// UTC day, or on the day of <paramref name="earliest"/> (the first moment a replay could have been seen, for an
    /// activity whose age is bounded by its proof). Storage: 1 insert (+ 1 point read when <paramref name="earliest"/>
    /// falls on an earlier day).
    /// </summary>
    public async Task<bool> TryClaimAsync(string activityId, DateTimeOffset receivedAt, DateTimeOffset? earliest, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InboxSeenTable, cancellationToken);
        var (pk, rk) = StorageKeys.InboxSeen(activityId, receivedAt);
        if (earliest is { } first && StorageKeys.InboxSeen(activityId, first) is var (earlierPk, earlierRk) && earlierPk != pk
            && (await table.GetEntityIfExistsAsync<TableEntity>(earlierPk, earlierRk, select: ["PartitionKey"], cancellationToken: cancellationToken)).HasValue)
        {
            return false;
        }

        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk) { ["ActivityId"] = activityId, ["ReceivedAt"] = receivedAt }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Forgets a claim (the activity could not be queued, so the sender's retry must not count as a duplicate).</summary>
    public async Task ForgetAsync(string activityId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InboxSeenTable, cancellationToken);
        var (pk, rk) = StorageKeys.InboxSeen(activityId, receivedAt);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Deletes up to <paramref name="limit"/> rows of the days before <paramref name="day"/>'s UTC day; returns how many.</summary>
    public async Task<int> DeleteDaysBeforeAsync(DateTimeOffset day, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InboxSeenTable, cancellationToken);
        var before = StorageKeys.InboxSeenPartitionsBefore(day);
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

        return deleted + await DeleteAsync(table, batch, cancellationToken);
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
