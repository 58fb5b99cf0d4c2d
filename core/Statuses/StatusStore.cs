using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Statuses. Storage: create 1 insert (main row) + 1 upsert (account copy); get 1 point read; delete 1 merge (tombstone) + 1 delete;
/// an account's page 1 range query. A reply also writes (and its deletion removes) a row in its parent's reply index
/// (+1 upsert, +1 delete); a thread's replies are 1 range query.
/// Every row fits Azure's limits whatever a remote server sends: HTML longer than one table property (32,768 characters)
/// continues in <c>ContentHtml2</c> to <c>ContentHtml4</c> of the same row, so a long post costs no extra transaction; the
/// JSON lists (mentions, attachments, emoji) keep as many entries as fit one property.
/// Pages read rows through <see cref="GetManyRecentAsync"/>: kept per process for <see cref="RecentLifetime"/>, forgotten
/// when this process writes the row (every write here, and counts through <see cref="InteractionCountStore"/>).
/// </summary>
public sealed class StatusStore(FediTables tables, TimeProvider? time = null)
{
    /// <summary>How long a page may show a status row read earlier: edits, deletions and counts written on another instance show within it.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(10);

    /// <summary>Rows kept per process (about 2-4 KB each: at most 10-20 MB; 250 pages of distinct statuses within the lifetime).</summary>
    public const int RecentCapacity = 5_000;

    private readonly Federation.ExpiringCache<Status?> _recent = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    /// <summary>Ids tried for one remote status before giving up (the first ones derive from its URI, the rest are random).</summary>
    public const int MaxRemoteIdAttempts = 24;

    /// <summary>
    /// Stores a new local status. The main row is inserted, never upserted, so an id held by another status (local or
    /// remote) fails the request instead of replacing it; the copies keyed by the id are then ours to upsert.
    /// </summary>
    public async Task AddAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(status.Id);

        // Main row first: if the copy is missing after a crash the status is still reachable and deletable by id.
        await table.AddEntityAsync(StatusEntity.From(status, pk, rk), cancellationToken);
        _recent.Remove(status.Id);
        await WriteCopiesAsync(table, status, cancellationToken);
    }

    /// <summary>Ids of the direct replies to a status, oldest first (1 range query); deleted replies are filtered by the reader.</summary>
    public async Task<IReadOnlyList<string>> GetReplyIdsAsync(string parentId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.StatusRepliesPartition(parentId);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>
    /// Stores a remote status and returns it as stored: under its own id when that is free, else under another id of the
    /// same millisecond (<see cref="SnowflakeIds.ForRemote(string, string, int)"/>), so it still sorts by its published time.
    /// The main row is inserted, never upserted: a sender can pick an object id whose hash matches the id of any status,
    /// and an upsert would let it replace an agency's post. When the row found holds the same URI (the same Create twice,
    /// or a crash before the URI index), that status is completed and returned unchanged. The URI index row goes last: its
    /// presence means the status is complete. Storage: 1 insert + 2-3 upserts; +1 insert and 1 point read per id taken.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every id tried is taken by other statuses (retried by the queue).</exception>
    public async Task<Status> AddRemoteAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(status.Uri);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        for (var attempt = 0; attempt < MaxRemoteIdAttempts; attempt++)
        {
            var candidate = attempt == 0 ? status : status with { Id = SnowflakeIds.ForRemote(status.Id, status.Uri, attempt) };
            var (pk, rk) = StorageKeys.Status(candidate.Id);
            try
            {
                await table.AddEntityAsync(StatusEntity.From(candidate, pk, rk), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                var held = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
                if (!held.HasValue || !string.Equals(held.Value!.Uri, status.Uri, StringComparison.Ordinal))
                {
                    continue;
                }

                candidate = held.Value!.ToStatus();
            }

            await WriteCopiesAsync(table, candidate, cancellationToken);
            var (upk, urk) = StorageKeys.StatusUri(status.Uri);
            await table.UpsertEntityAsync(new TableEntity(upk, urk) { ["StatusId"] = candidate.Id }, TableUpdateMode.Replace, cancellationToken);
            _recent.Remove(candidate.Id);
            return candidate;
        }

        throw new InvalidOperationException($"no free id for {status.Uri} in its millisecond; retrying later");
    }

    /// <summary>Replaces a local status's content (an edit by its author); both rows.</summary>
    public async Task ReplaceAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(status.Id);
        await table.UpsertEntityAsync(StatusEntity.From(status, pk, rk), TableUpdateMode.Replace, cancellationToken);
        _recent.Remove(status.Id);
        await WriteCopiesAsync(table, status, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="edit"/> to the stored remote status <paramref name="statusId"/> and replaces its rows, on the
    /// ETag of the main row it read (re-read and retried when the row changed in between, e.g. a count): a remote edit never
    /// lands on a local or deleted status, nor on a version it did not see. Returns the edited status, or null when there
    /// is none to edit or <paramref name="edit"/> declines (returns null). Storage: 1 read + 1 conditional replace per
    /// attempt + 1-2 upserts.
    /// </summary>
    public async Task<Status?> EditRemoteAsync(string statusId, Func<Status, Status?> edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (!SnowflakeIds.IsValid(statusId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
            var current = row.HasValue ? row.Value!.ToStatus() : null;
            if (current is null || current.IsLocal || current.DeletedAt is not null || edit(current) is not { } edited)
            {
                return null;
            }

            // An edit changes content, never which status this is or whose.
            edited = edited with { Id = current.Id, AccountId = current.AccountId, Uri = current.Uri };
            try
            {
                await table.UpdateEntityAsync(StatusEntity.From(edited, pk, rk), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                continue;
            }

            _recent.Remove(statusId);
            await WriteCopiesAsync(table, edited, cancellationToken);
            return edited;
        }
    }

    /// <summary>The id of the stored status with this ActivityPub id (local URLs are parsed by the caller); 1 point read.</summary>
    public async Task<string?> GetIdByUriAsync(string uri, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusUri(uri);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("StatusId") : null;
    }

    /// <summary>Many statuses by id in parallel (one point read each), in the order asked, skipping unknown ids.</summary>
    public async Task<IReadOnlyList<Status>> GetManyAsync(IEnumerable<string> statusIds, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(statusIds.Select(id => GetAsync(id, cancellationToken)));
        return found.OfType<Status>().ToList();
    }

    /// <summary>
    /// As <see cref="GetManyAsync"/> for rendering: a row read at most <see cref="RecentLifetime"/> ago costs nothing
    /// (one point read each for the others, in parallel). Never for read-modify-write.
    /// </summary>
    public async Task<IReadOnlyList<Status>> GetManyRecentAsync(IEnumerable<string> statusIds, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(statusIds.Select(id => _recent.GetOrLoadAsync(id, () => GetAsync(id, cancellationToken))));
        return found.OfType<Status>().ToList();
    }

    /// <summary>Drops the process's copy of the row (its counts changed here; see <see cref="InteractionCountStore"/>).</summary>
    public void Forget(string statusId) => _recent.Remove(statusId);

    /// <summary>The process's copy of the row, if any, takes the counts just stored (<see cref="InteractionCountStore"/>), and expires when it would have.</summary>
    public void Counted(string statusId, (long Favourites, long Reblogs) counts) =>
        _recent.Update(statusId, s => s is null ? null : s with { FavouritesCount = counts.Favourites, ReblogsCount = counts.Reblogs });

    /// <summary>
    /// Adds to the replies/reblogs/favourites counts (optimistic concurrency on the main row, retried), then copies them
    /// to the account row. Never below zero. 1 read + 1 merge per attempt, + 1 merge.
    /// </summary>
    public async Task<Status?> AdjustCountsAsync(string statusId, long replies = 0, long reblogs = 0, long favourites = 0, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return null;
            }

            var e = row.Value!;
            var counts = new TableEntity(pk, rk)
            {
                [nameof(StatusEntity.RepliesCount)] = Math.Max(0, e.RepliesCount + replies),
                [nameof(StatusEntity.ReblogsCount)] = Math.Max(0, e.ReblogsCount + reblogs),
                [nameof(StatusEntity.FavouritesCount)] = Math.Max(0, e.FavouritesCount + favourites),
            };
            try
            {
                await table.UpdateEntityAsync(counts, e.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                continue;
            }

            _recent.Remove(statusId);
            var updated = e.ToStatus() with
            {
                RepliesCount = (long)counts[nameof(StatusEntity.RepliesCount)],
                ReblogsCount = (long)counts[nameof(StatusEntity.ReblogsCount)],
                FavouritesCount = (long)counts[nameof(StatusEntity.FavouritesCount)],
            };
            if (e.DeletedAt is null)
            {
                var (apk, ark) = StorageKeys.AccountStatus(e.AccountId, statusId);
                counts.PartitionKey = apk;
                counts.RowKey = ark;
                try
                {
                    await table.UpdateEntityAsync(counts, ETag.All, TableUpdateMode.Merge, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
                {
                    // The copy is gone (deleted status): nothing to keep in step.
                }
            }

            return updated;
        }
    }

    /// <summary>The status, including a deleted one (check <see cref="Status.DeletedAt"/>); null when it never existed.</summary>
    public async Task<Status?> GetAsync(string statusId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(statusId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToStatus() : null;
    }

    /// <summary>Marks the status deleted (the tombstone answers 410) and removes it from the account's list.</summary>
    public async Task MarkDeletedAsync(Status status, DateTimeOffset deletedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(status.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { [nameof(StatusEntity.DeletedAt)] = deletedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        _recent.Remove(status.Id);
        var (apk, ark) = StorageKeys.AccountStatus(status.AccountId, status.Id);
        // A missing copy answers 404 as a response, not an exception: nothing to do then.
        await table.DeleteEntityAsync(apk, ark, ETag.All, cancellationToken);
        if (status.InReplyToId is { } parentId && SnowflakeIds.IsValid(parentId))
        {
            var (rpk, rrk) = StorageKeys.StatusReply(parentId, status.Id);
            await table.DeleteEntityAsync(rpk, rrk, ETag.All, cancellationToken);
        }
    }

    /// <summary>Local replies to a status, oldest first (any visibility: callers filter), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Status>> GetRepliesAsync(string parentId, int limit, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(parentId))
        {
            return [];
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.StatusRepliesPartition(parentId);
        var list = new List<Status>(Math.Min(limit, 100));
        await foreach (var row in table.QueryAsync<StatusEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add(row.ToStatus());
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>An account's statuses newest first, ids strictly below <paramref name="maxId"/> when given.</summary>
    public async Task<IReadOnlyList<Status>> GetAccountStatusesAsync(string accountId, string? maxId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.AccountStatusesPartition(accountId);
        var after = maxId is not null && SnowflakeIds.IsValid(maxId) ? StorageKeys.Descending(maxId) : null;
        var query = after is null
            ? table.QueryAsync<StatusEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, cancellationToken: cancellationToken)
            : table.QueryAsync<StatusEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after}"), maxPerPage: limit, cancellationToken: cancellationToken);
        var list = new List<Status>(limit);
        await foreach (var row in query)
        {
            list.Add(row.ToStatus());
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>A page of an account's statuses (local or remote author) with Mastodon's cursors; 1 range query.</summary>
    public async Task<IReadOnlyList<Status>> GetAccountStatusesPageAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var rows = await DescendingPage.QueryAsync<StatusEntity>(table, StorageKeys.AccountStatusesPartition(accountId), maxId, sinceId, minId, limit, null, cancellationToken);
        return rows.Select(e => e.ToStatus()).ToList();
    }

    /// <summary>The account copy and the parent's reply row: keyed by the status id, so only its owner writes them.</summary>
    private static async Task WriteCopiesAsync(TableClient table, Status status, CancellationToken cancellationToken)
    {
        var (apk, ark) = StorageKeys.AccountStatus(status.AccountId, status.Id);
        await table.UpsertEntityAsync(StatusEntity.From(status, apk, ark), TableUpdateMode.Replace, cancellationToken);
        if (status.InReplyToId is { } parentId && SnowflakeIds.IsValid(parentId))
        {
            var (rpk, rrk) = StorageKeys.StatusReply(parentId, status.Id);
            await table.UpsertEntityAsync(StatusEntity.From(status, rpk, rrk), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>
    /// Id and author of every status (local or remote) created from <paramref name="since"/> on and not deleted: one
    /// PartitionKey-range query over the status rows (ids are time-ordered), projected to 3 columns.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string AccountId)>> ListAuthorsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var filter = $"PartitionKey ge '{SnowflakeIds.AtTime(since)}' and PartitionKey lt '{StorageKeys.StatusPartitionsEnd}' and RowKey eq '{StorageKeys.StatusRowKey}'";
        var rows = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "AccountId", "DeletedAt"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("DeletedAt") is null && row.GetString("AccountId") is { } author && SnowflakeIds.IsValid(row.PartitionKey))
            {
                rows.Add((row.PartitionKey, author));
            }
        }

        return rows;
    }
}
