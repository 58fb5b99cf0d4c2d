using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Favourites, reblogs, bookmarks and pins. Two row kinds in the <c>interactions</c> table:
/// <list type="bullet">
/// <item>who did it to a status (favourites and reblogs, local and remote actors): PK <c>fav-{statusId}</c> or
/// <c>reblog-{statusId}</c>, RK the escaped actor id; for <c>favourited_by</c>/<c>reblogged_by</c> and Undo.</item>
/// <item>what a local account did (all four kinds): PK <c>marks-{accountId}</c>, RK descending status id + kind, so the
/// marks of a whole page of statuses are one range query and <c>/api/v1/favourites</c> pages newest status first.</item>
/// </list>
/// A local account's favourite or reblog of a local status has its mark written in the request and its record by its
/// queue message (<see cref="InteractionEffects"/>), a queue hop later.
/// Storage: add or remove 1-2 writes (the caller then moves the status counts through <see cref="Counts"/>); page marks 1 range query.
/// </summary>
public sealed class InteractionStore(FediTables tables, TimeProvider time, StatusStore? statuses = null)
{
    /// <summary>Pinned posts per account, as Mastodon allows (the instance advertises it as <c>max_pinned_statuses</c>).</summary>
    public const int MaxPins = 5;

    /// <summary>The favourites and reblogs counts these rows move, each exactly once (in the statuses table); <paramref name="statuses"/> forgets its copy of a counted row.</summary>
    public InteractionCountStore Counts { get; } = new(tables, statuses);

    /// <summary>
    /// Records that the actor favourited or reblogged the status (its record, and a local account's mark), or that the
    /// account bookmarked or pinned it; false when it already had. A favourite's or reblog's record decides; the mark
    /// only for bookmarks and pins. 1-2 inserts.
    /// </summary>
    public async Task<bool> AddAsync(InteractionKind kind, string statusId, string actorId, string accountApiId, string? localAccountId, string? activityId, CancellationToken cancellationToken)
    {
        // The record before the mark (RemoveAsync deletes them in the other order).
        var counted = kind is InteractionKind.Favourite or InteractionKind.Reblog;
        var isNew = !counted || await RecordAsync(kind, statusId, actorId, accountApiId, activityId, cancellationToken);
        if (localAccountId is not null)
        {
            // Bookmarks and pins have only the mark: it decides whether they are new.
            var marked = await AddMarkAsync(kind, statusId, localAccountId, activityId, cancellationToken);
            isNew = counted ? isNew : marked;
        }

        return isNew;
    }

    /// <summary>
    /// The local account's mark alone (<c>favourited</c>, <c>reblogged</c>, <c>/api/v1/favourites</c>), for a favourite or
    /// reblog of a local status whose record its queue message writes (<see cref="InteractionEffects"/>): the mark's insert
    /// then decides whether it is new. False when the mark was there. 1 insert.
    /// </summary>
    public async Task<bool> AddMarkAsync(InteractionKind kind, string statusId, string localAccountId, string? activityId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (mpk, mrk) = StorageKeys.Mark(localAccountId, statusId, kind.ToString());
        try
        {
            await table.AddEntityAsync(new TableEntity(mpk, mrk) { ["StatusId"] = statusId, ["Kind"] = kind.ToString(), ["ActivityId"] = activityId }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// The record of the actor's favourite or reblog among the status's (<c>favourited_by</c>, <c>reblogged_by</c>, an
    /// edit's boosters, Undo); false when it was there. 1 insert.
    /// </summary>
    public async Task<bool> RecordAsync(InteractionKind kind, string statusId, string actorId, string accountApiId, string? activityId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.InteractionBy(kind.ToString(), statusId, actorId);
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk)
            {
                ["ActorId"] = actorId,
                ["AccountId"] = accountApiId,
                ["ActivityId"] = activityId,
                ["CreatedAt"] = time.GetUtcNow(),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Deletes the record of the actor's favourite or reblog, not the mark: 1 delete.</summary>
    public async Task DeleteRecordAsync(InteractionKind kind, string statusId, string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.InteractionBy(kind.ToString(), statusId, actorId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Whether the local account's mark of <paramref name="kind"/> on the status is there: 1 point read.</summary>
    public async Task<bool> IsMarkedAsync(InteractionKind kind, string statusId, string localAccountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (mpk, mrk) = StorageKeys.Mark(localAccountId, statusId, kind.ToString());
        return (await table.GetEntityIfExistsAsync<TableEntity>(mpk, mrk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>
    /// Removes the actor's favourite or reblog (its record, and the local account's mark), or the account's bookmark or
    /// pin; true when there was either row (a local favourite's record may still be on its way in its queue message).
    /// 1-2 deletes (a missing row answers 404, which storage bills as one transaction).
    /// </summary>
    public async Task<bool> RemoveAsync(InteractionKind kind, string statusId, string actorId, string? localAccountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var removed = false;

        // The mark before the record, always: the queue message that writes a local favourite's or reblog's record reads
        // the mark after its insert and deletes the record again when the mark is gone (InteractionEffects), so either
        // this record delete comes after that insert or that read comes after this mark delete: no record outlives its mark.
        if (localAccountId is not null)
        {
            var (mpk, mrk) = StorageKeys.Mark(localAccountId, statusId, kind.ToString());
            removed = (await table.DeleteEntityAsync(mpk, mrk, ETag.All, cancellationToken)).Status != (int)HttpStatusCode.NotFound;
        }

        if (kind is InteractionKind.Favourite or InteractionKind.Reblog)
        {
            var (pk, rk) = StorageKeys.InteractionBy(kind.ToString(), statusId, actorId);
            removed = (await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken)).Status != (int)HttpStatusCode.NotFound || removed;
        }

        return removed;
    }

    /// <summary>The account's marks on statuses with ids between the two bounds (inclusive): one range query.</summary>
    public async Task<IReadOnlyDictionary<string, HashSet<InteractionKind>>> GetMarksAsync(string accountId, IReadOnlyCollection<string> statusIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, HashSet<InteractionKind>>(StringComparer.Ordinal);
        if (statusIds.Count == 0)
        {
            return result;
        }

        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var partition = StorageKeys.MarksPartition(accountId);
        var from = StorageKeys.Descending(statusIds.Max(StringComparer.Ordinal)!);
        var to = StorageKeys.Descending(statusIds.Min(StringComparer.Ordinal)!) + "~";
        var wanted = statusIds.ToHashSet(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey le {to}"), cancellationToken: cancellationToken))
        {
            var id = row.GetString("StatusId");
            if (wanted.Contains(id) && Enum.TryParse<InteractionKind>(row.GetString("Kind"), out var kind))
            {
                if (!result.TryGetValue(id, out var set))
                {
                    result[id] = set = [];
                }

                set.Add(kind);
            }
        }

        return result;
    }

    /// <summary>Status ids the account marked with <paramref name="kind"/>, newest status first, below <paramref name="maxId"/>.</summary>
    public async Task<IReadOnlyList<string>> ListMarkedAsync(string accountId, InteractionKind kind, string? maxId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var partition = StorageKeys.MarksPartition(accountId);
        var kindName = kind.ToString();
        var after = maxId is not null && SnowflakeIds.IsValid(maxId) ? StorageKeys.Descending(maxId) + "~" : "";
        var ids = new List<string>(limit);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after} and Kind eq {kindName}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            ids.Add(row.GetString("StatusId"));
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>API account ids of who favourited or reblogged the status (up to <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<(string ActorId, string AccountId)>> ListActorsAsync(InteractionKind kind, string statusId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var partition = StorageKeys.InteractionByPartition(kind.ToString(), statusId);
        var list = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add((row.GetString("ActorId"), row.GetString("AccountId")));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }
}
