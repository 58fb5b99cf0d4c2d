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
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var list = new List<(string, NotificationType, string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == accountId, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add((row.GetString("NotificationId"), Enum.Parse<NotificationType>(row.GetString("Type")), row.GetString("FromActorId"), row.GetDateTimeOffset("CreatedAt") ?? default));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }
}
