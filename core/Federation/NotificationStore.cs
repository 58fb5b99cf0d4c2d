using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Notifications of local accounts, newest first (PK account id, RK descending id). The id is derived from the
/// activity that caused it, so processing the same activity twice writes the same row once. Storage: 1 insert (dedup
/// row) + 1 upsert.
/// </summary>
public sealed class NotificationStore(FediTables tables, TimeProvider time)
{
    public async Task AddAsync(string accountId, NotificationType type, string fromActorId, string? statusId, string causeId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var now = time.GetUtcNow();

        // Snowflake-shaped id from the time and a hash of the cause: ordered by time, stable for the same cause.
        var seq = BitConverter.ToUInt16(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{type}|{causeId}")), 0);
        var id = ((now.ToUnixTimeMilliseconds() << 16) | seq).ToString("D18", System.Globalization.CultureInfo.InvariantCulture);
        var dedup = new TableEntity($"cause-{accountId}", StorageKeys.Sha256Hex($"{type}|{causeId}"));
        try
        {
            await table.AddEntityAsync(dedup, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            return;
        }

        var (pk, rk) = StorageKeys.Notification(accountId, id);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["NotificationId"] = id,
            ["Type"] = type.ToString(),
            ["FromActorId"] = fromActorId,
            ["StatusId"] = statusId,
            ["CreatedAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<(string Id, NotificationType Type, string FromActorId, DateTimeOffset CreatedAt)>> ListAsync(string accountId, int limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(accountId, null, null, null, limit, null, cancellationToken);
        return page.Select(n => (n.Id, n.Type, n.FromActorId, n.CreatedAt)).ToList();
    }

    /// <summary>
    /// A page of notifications newest first with Mastodon's cursors, keeping only those <paramref name="include"/> accepts.
    /// 1 range query per 40 rows read; at most 10 reads, so a rare type cannot make one request scan everything.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> PageAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, Func<Notification, bool>? include, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var result = new List<Notification>();
        var cursor = maxId;
        for (var round = 0; round < 10 && result.Count < limit; round++)
        {
            var batch = include is null ? limit - result.Count : 40;
            var rows = await DescendingPage.QueryAsync<TableEntity>(table, accountId, cursor, sinceId, minId, batch, null, cancellationToken);
            foreach (var row in rows)
            {
                var n = ToNotification(row);
                if (n is not null && (include is null || include(n)) && result.Count < limit)
                {
                    result.Add(n);
                }
            }

            if (rows.Count < batch || minId is not null)
            {
                break;
            }

            cursor = rows[^1].GetString("NotificationId");
        }

        return result;
    }

    public async Task<Notification?> GetAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Notification(accountId, id);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? ToNotification(row.Value!) : null;
    }

    /// <summary>Removes one notification; false when there was none. 1 delete.</summary>
    public async Task<bool> DismissAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return false;
        }

        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Notification(accountId, id);
        var response = await table.DeleteEntityAsync(pk, rk, Azure.ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Removes every notification of the account: 1 range query + 1 delete per row (batched by 100).</summary>
    public async Task ClearAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var batch = new List<TableTransactionAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == accountId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    /// <summary>How many notifications are newer than <paramref name="sinceId"/> (up to <paramref name="max"/>): 1 range query.</summary>
    public async Task<int> CountNewerAsync(string accountId, string? sinceId, int max, CancellationToken cancellationToken)
    {
        var page = await PageAsync(accountId, null, sinceId, null, max, null, cancellationToken);
        return page.Count;
    }

    private static Notification? ToNotification(TableEntity row) =>
        Enum.TryParse<NotificationType>(row.GetString("Type"), out var type)
            ? new Notification(row.GetString("NotificationId"), type, row.GetString("FromActorId"), row.GetString("StatusId"), row.GetDateTimeOffset("CreatedAt") ?? default)
            : null;
}

/// <summary>A notification of a local account: what happened, who did it (actor id), and the status it concerns.</summary>
public sealed record Notification(string Id, NotificationType Type, string FromActorId, string? StatusId, DateTimeOffset CreatedAt);
