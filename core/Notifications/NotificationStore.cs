using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Notifications;

/// <summary>
/// Notifications of local accounts, newest first (PK account id, RK descending id), and in the same partition after them
/// the causes that notified (<see cref="StorageKeys.NotificationCause"/>), so the same activity twice notifies once.
/// Reads never reach the cause rows (they sort after every id). Storage: add 1 entity group transaction.
/// </summary>
public sealed class NotificationStore(FediTables tables, TimeProvider time)
{
    /// <summary>
    /// Writes the notification unless the same cause already notified the account: its id, or null when the cause had.
    /// The cause's row and the notification go in one entity group transaction (same partition), so both or neither are written.
    /// </summary>
    public async Task<string?> AddAsync(string accountId, NotificationType type, string fromActorId, string? statusId, string causeId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var now = time.GetUtcNow();
        var id = StorageKeys.NotificationId(now, type.ToString(), causeId);
        var (cpk, crk) = StorageKeys.NotificationCause(accountId, type.ToString(), causeId);
        var (pk, rk) = StorageKeys.Notification(accountId, id);
        var notification = new TableEntity(pk, rk)
        {
            ["NotificationId"] = id,
            ["Type"] = type.ToString(),
            ["FromActorId"] = fromActorId,
            ["StatusId"] = statusId,
            ["CreatedAt"] = now,
        };
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(cpk, crk)), new TableTransactionAction(TableTransactionActionType.UpsertReplace, notification)],
                cancellationToken);
            return id;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<(string Id, NotificationType Type, string FromActorId, DateTimeOffset CreatedAt)>> ListAsync(string accountId, int limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(accountId, null, null, null, limit, null, cancellationToken);
        return page.Select(n => (n.Id, n.Type, n.FromActorId, n.CreatedAt)).ToList();
    }

    /// <summary>Rows one range query of a filtered page reads (<see cref="PageAsync"/> with a filter).</summary>
    public const int FilteredBatch = 40;

    /// <summary>
    /// A page of notifications newest first with Mastodon's cursors, keeping only those <paramref name="include"/> accepts.
    /// 1 range query per 40 rows read; at most 10 reads, so a rare type cannot make one request scan everything. With
    /// <paramref name="minId"/> one range query, of the rows just above it, whose kept rows nearest the cursor are the page.
    /// <paramref name="first"/>, when given, is the page's first range query already started (<see cref="FirstBatchAsync"/>
    /// with the same account and cursors): the page continues from it as it would have from its own.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> PageAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, Func<Notification, bool>? include, CancellationToken cancellationToken, NotificationBatch? first = null)
    {
        if (first is not null && (first.AccountId != accountId || first.MaxId != maxId || first.SinceId != sinceId || first.MinId != minId))
        {
            throw new ArgumentException("The first batch was read for another account or cursor", nameof(first));
        }

        var result = new List<Notification>();
        var cursor = maxId;
        for (var round = 0; round < 10 && result.Count < limit; round++)
        {
            var batch = round == 0 && first is not null ? first : await BatchAsync(accountId, cursor, sinceId, minId, include is null ? limit - result.Count : FilteredBatch, cancellationToken);
            foreach (var n in batch.Items)
            {
                // min_id's one batch lies just above the cursor: every row is kept, and the oldest `limit` answered below.
                if ((include is null || include(n)) && (result.Count < limit || minId is not null))
                {
                    result.Add(n);
                }
            }

            if (batch.Next is null)
            {
                break;
            }

            cursor = batch.Next;
        }

        return result.Count > limit ? result[^limit..] : result;
    }

    /// <summary>
    /// The first range query of a filtered <see cref="PageAsync"/> (<see cref="FilteredBatch"/> rows), to be started before
    /// the filter is known and handed to it as <c>first</c>. 1 range query.
    /// </summary>
    public Task<NotificationBatch> FirstBatchAsync(string accountId, string? maxId, string? sinceId, string? minId, CancellationToken cancellationToken) =>
        BatchAsync(accountId, maxId, sinceId, minId, FilteredBatch, cancellationToken);

    /// <summary>Up to <paramref name="size"/> rows below <paramref name="cursor"/> (1 range query), and where the next batch starts.</summary>
    private async Task<NotificationBatch> BatchAsync(string accountId, string? cursor, string? sinceId, string? minId, int size, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var rows = await DescendingPage.QueryAsync<TableEntity>(table, accountId, cursor, sinceId, minId, size, null, cancellationToken);
        // Fewer rows than asked: the range is exhausted; min_id reads the rows just above it, one batch only.
        var next = rows.Count < size || minId is not null ? null : rows[^1].GetString("NotificationId");
        return new NotificationBatch(accountId, cursor, sinceId, minId, rows.Select(ToNotification).OfType<Notification>().ToList(), next);
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

    /// <summary>Removes every notification of the account (the causes stay): 1 range query + 1 delete per row (batched by 100).</summary>
    public async Task ClearAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        var batch = new List<TableTransactionAction>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey le {StorageKeys.NotificationsEnd}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
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

    /// <summary>The columns a notification is read with (projection keeps range queries small).</summary>
    private static readonly string[] Columns = ["NotificationId", "Type", "FromActorId", "StatusId", "CreatedAt"];

    /// <summary>
    /// Notifications newest first with ids strictly between <paramref name="aboveId"/> and <paramref name="belowId"/>
    /// (either may be null), fetched lazily in pages of <paramref name="pageSize"/> rows (1 range query each) and never
    /// more than <paramref name="maxRows"/> rows: stopping the enumeration stops the reads.
    /// </summary>
    /// <remarks>
    /// <paramref name="first"/>, when given, is the scan's first range query already made (<see cref="ScanFirstAsync"/>
    /// with the same account, cursors and page size): the scan yields its rows and goes on from its continuation.
    /// </remarks>
    public async IAsyncEnumerable<Notification> ScanAsync(string accountId, string? belowId, string? aboveId, int pageSize, int maxRows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, NotificationScanPage? first = null)
    {
        if (first is not null && (first.AccountId != accountId || first.BelowId != belowId || first.AboveId != aboveId || first.PageSize != pageSize))
        {
            throw new ArgumentException("The first page was read for another account, cursor or page size", nameof(first));
        }

        var read = 0;
        foreach (var n in first?.Rows ?? [])
        {
            if (++read > maxRows)
            {
                yield break;
            }

            if (n is not null)
            {
                yield return n;
            }
        }

        if (first is { Continuation: null })
        {
            yield break;
        }

        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        await foreach (var page in table.QueryAsync<TableEntity>(ScanFilter(accountId, belowId, aboveId), maxPerPage: pageSize, select: Columns, cancellationToken: cancellationToken).AsPages(first?.Continuation, pageSize))
        {
            foreach (var row in page.Values)
            {
                if (++read > maxRows)
                {
                    yield break;
                }

                if (ToNotification(row) is { } n)
                {
                    yield return n;
                }
            }
        }
    }

    /// <summary>
    /// The first range query of <see cref="ScanAsync"/> (up to <paramref name="pageSize"/> rows), to be started before the
    /// caller's filter is known and handed to it as <c>first</c>. 1 range query.
    /// </summary>
    public async Task<NotificationScanPage> ScanFirstAsync(string accountId, string? belowId, string? aboveId, int pageSize, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        await foreach (var page in table.QueryAsync<TableEntity>(ScanFilter(accountId, belowId, aboveId), maxPerPage: pageSize, select: Columns, cancellationToken: cancellationToken).AsPages(null, pageSize))
        {
            return new NotificationScanPage(accountId, belowId, aboveId, pageSize, [.. page.Values.Select(ToNotification)], page.ContinuationToken);
        }

        return new NotificationScanPage(accountId, belowId, aboveId, pageSize, [], null);
    }

    private static string ScanFilter(string accountId, string? belowId, string? aboveId)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey le {StorageKeys.NotificationsEnd}");
        if (SnowflakeIds.IsValid(belowId))
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {StorageKeys.Descending(belowId!)}");
        }

        if (SnowflakeIds.IsValid(aboveId))
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {StorageKeys.Descending(aboveId!)}");
        }

        return filter;
    }

    /// <summary>
    /// The notifications of one group, newest first, at most <paramref name="maxRows"/>: 1 point read for
    /// <c>ungrouped-{id}</c>, else 1 range query over the group's window (per 1,000 rows in it).
    /// </summary>
    public async Task<IReadOnlyList<Notification>> GroupAsync(string accountId, NotificationGroupKey key, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsGroup)
        {
            return await GetAsync(accountId, key.NotificationId!, cancellationToken) is { } one ? [one] : [];
        }

        var below = SnowflakeIds.AtTime(key.To);
        var above = (long.Parse(SnowflakeIds.AtTime(key.From), System.Globalization.CultureInfo.InvariantCulture) - 1).ToString("D18", System.Globalization.CultureInfo.InvariantCulture);
        var result = new List<Notification>();
        await foreach (var n in ScanAsync(accountId, below, above, 1000, 10_000, cancellationToken))
        {
            if (NotificationGroupKey.Of(n) == key.Key)
            {
                result.Add(n);
                if (result.Count >= maxRows)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Removes the given notifications: 1 batch of deletes per 100.</summary>
    public async Task DismissManyAsync(string accountId, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var table = await tables.GetAsync(StorageNames.NotificationsTable, cancellationToken);
        foreach (var chunk in ids.Where(SnowflakeIds.IsValid).Distinct(StringComparer.Ordinal).Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(id =>
                {
                    var (pk, rk) = StorageKeys.Notification(accountId, id);
                    return new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, rk), Azure.ETag.All);
                }), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // One row was already gone (a concurrent dismiss): the batch is all or nothing, so delete one by one.
                foreach (var id in chunk)
                {
                    var (pk, rk) = StorageKeys.Notification(accountId, id);
                    await table.DeleteEntityAsync(pk, rk, Azure.ETag.All, cancellationToken);
                }
            }
        }
    }

    private static Notification? ToNotification(TableEntity row) =>
        Enum.TryParse<NotificationType>(row.GetString("Type"), out var type)
            ? new Notification(row.GetString("NotificationId"), type, row.GetString("FromActorId"), row.GetString("StatusId"), row.GetDateTimeOffset("CreatedAt") ?? default)
            : null;
}
