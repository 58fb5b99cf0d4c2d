using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// The favourites and reblogs counts of a status, exactly once per actor and kind, and without a hot-row meltdown when
/// hundreds arrive at once (issue 17 item 1). A change is first written as a pending row in the status's own partition
/// (<see cref="StorageKeys.StatusCountPending"/>: the last intent of that actor wins, +1 or -1). Whoever reads the
/// partition next applies every pending row it finds, up to 49, in one entity group transaction with the status row
/// (If-Match): each pending row deleted, its counted marker added (or deleted for -1), the counts moved by their sum.
/// The marker makes it exact: a pending row whose marker already says so (a retry after a failure, a repeat) fails
/// the transaction at that row and is dropped. A writer that loses the race finds its row applied by the winner, so
/// concurrent writers share transactions instead of retrying each other's (c writers no longer cost about c² transactions).
/// A pending row left by a crash is applied by the retry or by the next writer of that status.
/// When nothing is pending (the usual case), the count and its marker change in one transaction at the status row's
/// ETag without a pending row (<see cref="AtOnceAsync"/>); a writer that loses that race writes its pending row as above.
/// Storage: uncontended 1 range query (the status row and the pending rows) + 1 transaction + 1 merge (the account's
/// copy of the counts); with rows pending + 1 upsert (the pending row; the range query read before it serves the first
/// transaction); a lost race + 1 range query (+ 1 transaction when the winner had not seen ours). A local account's
/// change counted on the status its request read (<see cref="AddAsync"/>, <see cref="RemoveAsync"/>) needs no range query.
/// </summary>
public sealed class InteractionCountStore(FediTables tables, StatusStore? statuses = null)
{
    /// <summary>Pending rows applied in one transaction: two actions each, plus the status row, within the limit of 100.</summary>
    internal const int PerTransaction = 49;

    /// <summary>
    /// Counted markers are written for every count from this time on (the code that writes them was released then): a
    /// status created later has a marker for each favourite or reblog it counted, so a missing one means "never counted".
    /// </summary>
    internal static readonly DateTimeOffset CountedMarkersSince = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Counts (+1) or uncounts (-1) the actor's <paramref name="kind"/> of the status, once however often it is called;
    /// returns the status's counts afterwards (favourites, reblogs), or null when the status does not exist.
    /// <paramref name="removedNow"/> (for -1) says the caller has just removed the interaction's row: a favourite or
    /// reblog of a status older than <see cref="CountedMarkersSince"/> may have been counted without a marker and is
    /// uncounted all the same; for a newer status a missing marker means it was never counted (a Like whose count
    /// failed and whose Undo came before the retry), and nothing is uncounted.
    /// </summary>
    public async Task<(long Favourites, long Reblogs)?> ApplyAsync(string statusId, InteractionKind kind, string actorId, int delta, CancellationToken cancellationToken, bool removedNow = false, bool copy = true)
    {
        // The process's pages show the new counts at once (StatusStore.GetManyRecentAsync), and the next Like of the
        // status here finds its copy (the copy is for reading and receivability, never for counting).
        (long Favourites, long Reblogs)? counts = null;
        try
        {
            return counts = await CountAsync(statusId, kind, actorId, delta, removedNow, cancellationToken, copy);
        }
        finally
        {
            if (counts is { } c)
            {
                statuses?.Counted(statusId, c);
            }
            else
            {
                statuses?.Forget(statusId);
            }
        }
    }

    /// <summary>
    /// The status with its row's ETag and whether pending rows wait (for <see cref="AddAsync"/>), null when it never
    /// existed: 1 range query, the cost of a point read.
    /// </summary>
    public async Task<CountableStatus?> ReadAsync(string statusId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(statusId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {StorageKeys.StatusCountPendingPrefix} and RowKey le {rk}");
        StatusEntity? row = null;
        var pending = false;
        await foreach (var entity in table.QueryAsync<StatusEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == rk)
            {
                row = entity;
            }
            else
            {
                pending = true;
            }
        }

        return row is null ? null : new CountableStatus(row.ToStatus(), row.ETag, pending);
    }

    /// <summary>
    /// Counts (+1) the actor's <paramref name="kind"/> of the status read by <see cref="ReadAsync"/>, once however often it
    /// is called, and returns the counts afterwards (null when the status is gone). When nothing waited and the row has
    /// not changed since, the counted marker and the counts go in 1 entity group transaction (If-Match); otherwise, or when
    /// the marker exists (counted already, or an intent of this actor waits), as <see cref="ApplyAsync"/>. With
    /// <paramref name="copy"/> the account's copy of the status gets the counts (+1 merge); else that is left to the caller.
    /// </summary>
    public Task<(long Favourites, long Reblogs)?> AddAsync(CountableStatus read, InteractionKind kind, string actorId, bool copy, CancellationToken cancellationToken) =>
        ChangeAsync(read, kind, actorId, +1, false, copy, cancellationToken);

    /// <summary>
    /// Uncounts (-1) the actor's <paramref name="kind"/> of the status read by <see cref="ReadAsync"/>, as <see cref="AddAsync"/>
    /// counts it: the marker's delete and the counts in 1 transaction when nothing waited and the row has not changed;
    /// otherwise (or when no marker says it was counted) as <see cref="ApplyAsync"/> with <paramref name="removedNow"/>.
    /// The account's copy of the status gets the counts (+1 merge).
    /// </summary>
    public Task<(long Favourites, long Reblogs)?> RemoveAsync(CountableStatus read, InteractionKind kind, string actorId, bool removedNow, CancellationToken cancellationToken) =>
        ChangeAsync(read, kind, actorId, -1, removedNow, true, cancellationToken);

    private async Task<(long Favourites, long Reblogs)?> ChangeAsync(CountableStatus read, InteractionKind kind, string actorId, int delta, bool removedNow, bool copy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var status = read.Status;
        (long Favourites, long Reblogs)? counts = null;
        try
        {
            if (!read.HasPending && kind is InteractionKind.Favourite or InteractionKind.Reblog
                && await AtOnceAsync(await tables.GetAsync(StorageNames.StatusesTable, cancellationToken), status.Id, status.AccountId, status.DeletedAt is not null,
                    (status.FavouritesCount, status.ReblogsCount), read.ETag, kind, actorId, delta, copy, cancellationToken) is { } done)
            {
                return counts = done;
            }

            return counts = await CountAsync(status.Id, kind, actorId, delta, removedNow, cancellationToken, copy);
        }
        finally
        {
            // The process's pages show the new counts at once (StatusStore.GetManyRecentAsync).
            if (counts is { } c)
            {
                statuses?.Counted(status.Id, c);
            }
            else
            {
                statuses?.Forget(status.Id);
            }
        }
    }

    private async Task<(long Favourites, long Reblogs)?> CountAsync(string statusId, InteractionKind kind, string actorId, int delta, bool removedNow, CancellationToken cancellationToken, bool copy = true)
    {
        if (kind is not (InteractionKind.Favourite or InteractionKind.Reblog) || delta is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), "only favourites and reblogs are counted, by one");
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var read = await ReadAsync(table, statusId, cancellationToken);
        if (read.Status is null)
        {
            return null;
        }

        if (read.Pending.Count == 0)
        {
            var row = read.Status;
            if (await AtOnceAsync(table, statusId, row.GetString(nameof(StatusEntity.AccountId)), row.GetDateTimeOffset(nameof(StatusEntity.DeletedAt)) is not null,
                (row.GetInt64(nameof(StatusEntity.FavouritesCount)) ?? 0, row.GetInt64(nameof(StatusEntity.ReblogsCount)) ?? 0), row.ETag, kind, actorId, delta, copy, cancellationToken) is { } done)
            {
                return done;
            }

            read = default; // lost a race or a repeat: read again below
        }

        var (ppk, prk) = StorageKeys.StatusCountPending(statusId, kind.ToString(), actorId);
        var mine = new TableEntity(ppk, prk) { ["Kind"] = kind.ToString(), ["ActorId"] = actorId, ["Delta"] = delta, ["RemovedNow"] = removedNow && delta < 0 };
        mine.ETag = (await table.UpsertEntityAsync(mine, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
        var unmarked = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            // The first time, what was read before the upsert and the row it wrote (others are waiting: no need to read again).
            var (status, pending) = attempt == 0 && read is { Status: not null, Pending: { } waiting } ? (read.Status, waiting.Where(p => p.RowKey != prk).Prepend(mine).ToList()) : await ReadAsync(table, statusId, cancellationToken);
            if (status is null)
            {
                return null;
            }

            var counts = (status.GetInt64(nameof(StatusEntity.FavouritesCount)) ?? 0, status.GetInt64(nameof(StatusEntity.ReblogsCount)) ?? 0);
            if (!pending.Exists(p => p.RowKey == prk))
            {
                return counts; // applied by another writer, whose transaction saw it
            }

            var batch = pending.Take(PerTransaction).ToList();
            var (actions, owners, after) = Actions(status, batch, unmarked, counts);
            TableEntity? repeat = null;
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                if (copy)
                {
                    await CopyAsync(table, statusId, status.GetString(nameof(StatusEntity.AccountId)), status.GetDateTimeOffset(nameof(StatusEntity.DeletedAt)) is not null, after, cancellationToken);
                }

                if (batch.Exists(p => p.RowKey == prk))
                {
                    return after;
                }

                continue;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is { } index && index < owners.Count && owners[index] is { Marker: true } owner
                && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
            {
                var row = batch[owner.Pending];
                if (ex.Status == (int)HttpStatusCode.NotFound && row.GetBoolean("RemovedNow") == true && SnowflakeIds.TimeOf(statusId) < CountedMarkersSince)
                {
                    unmarked.Add(row.RowKey); // counted before markers: uncount it without one
                }
                else
                {
                    repeat = row; // already counted (or already uncounted): a repeat, dropped below
                }
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound && attempt < 50)
            {
                // Another writer applied first (the status row or a pending row changed): read again, after a short jittered
                // pause (wall-clock pacing of contention, not a time the product reasons about).
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 2 << Math.Min(attempt, 6))), cancellationToken);
            }

            if (repeat is not null)
            {
                try
                {
                    await table.DeleteEntityAsync(repeat.PartitionKey, repeat.RowKey, repeat.ETag, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
                {
                    // A new intent replaced it meanwhile: it is read again and applied.
                }
            }
        }
    }

    /// <summary>
    /// With nothing pending, the count and its marker change in one transaction on the status row as read (If-Match),
    /// with no pending row: nothing is stored unless it commits, so a crash before leaves nothing to apply. Null when
    /// another writer changed the row first, or the marker says it is a repeat (or, for -1, a favourite counted before
    /// markers): the pending rows then decide. With <paramref name="copy"/> the account's copy gets the counts (+1 merge).
    /// </summary>
    private static async Task<(long Favourites, long Reblogs)?> AtOnceAsync(TableClient table, string statusId, string? accountId, bool deleted,
        (long Favourites, long Reblogs) counts, ETag etag, InteractionKind kind, string actorId, int delta, bool copy, CancellationToken cancellationToken)
    {
        var after = kind == InteractionKind.Favourite ? (Math.Max(0, counts.Favourites + delta), counts.Reblogs) : (counts.Favourites, Math.Max(0, counts.Reblogs + delta));
        var (pk, rk) = StorageKeys.Status(statusId);
        var (mpk, mrk) = StorageKeys.StatusCounted(statusId, kind.ToString(), actorId);
        try
        {
            await table.SubmitTransactionAsync(
                [
                    delta > 0
                        ? new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(mpk, mrk))
                        : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(mpk, mrk), ETag.All),
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, Counts(pk, rk, after), etag),
                ],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            return null;
        }

        if (copy)
        {
            await CopyAsync(table, statusId, accountId, deleted, after, cancellationToken);
        }

        return after;
    }

    /// <summary>Whether the actor's <paramref name="kind"/> is counted in the status (1 point read).</summary>
    public async Task<bool> IsCountedAsync(string statusId, InteractionKind kind, string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusCounted(statusId, kind.ToString(), actorId);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>The status row and the pending rows before it: 1 range query (the partition's rows from <c>pending-</c> to <c>status</c>).</summary>
    private static async Task<(TableEntity? Status, List<TableEntity> Pending)> ReadAsync(TableClient table, string statusId, CancellationToken cancellationToken)
    {
        var (pk, rk) = StorageKeys.Status(statusId);
        var from = StorageKeys.StatusCountPendingPrefix;
        TableEntity? status = null;
        var pending = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {from} and RowKey le {rk}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == rk)
            {
                status = row;
            }
            else if (row.RowKey.StartsWith(from, StringComparison.Ordinal))
            {
                pending.Add(row);
            }
        }

        return (status, pending);
    }

    /// <summary>
    /// One entity group transaction's actions: per pending row its delete and its marker's change (none for a row in
    /// <paramref name="unmarked"/>), then the counts (If-Match). <c>Owners</c> tells which pending row each action is for.
    /// </summary>
    private static (List<TableTransactionAction> Actions, List<(int Pending, bool Marker)?> Owners, (long Favourites, long Reblogs) After) Actions(
        TableEntity status, List<TableEntity> batch, HashSet<string> unmarked, (long Favourites, long Reblogs) counts)
    {
        var actions = new List<TableTransactionAction>(2 * batch.Count + 1);
        var owners = new List<(int, bool)?>(2 * batch.Count + 1);
        var (favourites, reblogs) = counts;
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            var kind = p.GetString("Kind");
            var delta = p.GetInt32("Delta") ?? 0;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, p, p.ETag));
            owners.Add((i, false));
            if (!unmarked.Contains(p.RowKey))
            {
                var (mpk, mrk) = StorageKeys.StatusCounted(status.PartitionKey, kind, p.GetString("ActorId"));
                actions.Add(delta > 0
                    ? new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(mpk, mrk))
                    : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(mpk, mrk), ETag.All));
                owners.Add((i, true));
            }

            if (kind == nameof(InteractionKind.Favourite))
            {
                favourites += delta;
            }
            else
            {
                reblogs += delta;
            }
        }

        var after = (Math.Max(0, favourites), Math.Max(0, reblogs));
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, Counts(status.PartitionKey, status.RowKey, after), status.ETag));
        owners.Add(null);
        return (actions, owners, after);
    }

    private static TableEntity Counts(string pk, string rk, (long Favourites, long Reblogs) counts) => new(pk, rk)
    {
        [nameof(StatusEntity.FavouritesCount)] = counts.Favourites,
        [nameof(StatusEntity.ReblogsCount)] = counts.Reblogs,
    };

    /// <summary>The stored counts of the status on the account's copy of it (its statuses list): 1 point read + 1 merge.</summary>
    public async Task CopyAsync(string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (row.HasValue)
        {
            var status = row.Value!;
            await CopyAsync(table, statusId, status.GetString(nameof(StatusEntity.AccountId)), status.GetDateTimeOffset(nameof(StatusEntity.DeletedAt)) is not null,
                (status.GetInt64(nameof(StatusEntity.FavouritesCount)) ?? 0, status.GetInt64(nameof(StatusEntity.ReblogsCount)) ?? 0), cancellationToken);
        }
    }

    /// <summary>The counts on the account's copy of the status (its statuses list), unless the status is deleted: 1 merge.</summary>
    private static async Task CopyAsync(TableClient table, string statusId, string? accountId, bool deleted, (long Favourites, long Reblogs) counts, CancellationToken cancellationToken)
    {
        if (!deleted && accountId is { Length: > 0 })
        {
            var (apk, ark) = StorageKeys.AccountStatus(accountId, statusId);
            try
            {
                await table.UpdateEntityAsync(Counts(apk, ark, counts), ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // The copy is gone (deleted status): nothing to keep in step.
            }
        }
    }
}
