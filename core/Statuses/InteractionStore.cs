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
/// Storage: add or remove 1-2 writes (the caller then moves the status counts through <see cref="Counts"/>); page marks 1 range query.
/// </summary>
public sealed class InteractionStore(FediTables tables, TimeProvider time, StatusStore? statuses = null)
{
    /// <summary>Pinned posts per account, as Mastodon allows (the instance advertises it as <c>max_pinned_statuses</c>).</summary>
    public const int MaxPins = 5;

    /// <summary>The favourites and reblogs counts these rows move, each exactly once (in the statuses table); <paramref name="statuses"/> forgets its copy of a counted row.</summary>
    public InteractionCountStore Counts { get; } = new(tables, statuses);

    /// <summary>Records that the actor favourited or reblogged the status; false when it already had.</summary>
    public async Task<bool> AddAsync(InteractionKind kind, string statusId, string actorId, string accountApiId, string? localAccountId, string? activityId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var isNew = true;
        if (kind is InteractionKind.Favourite or InteractionKind.Reblog)
        {
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
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                isNew = false;
            }
        }

        if (localAccountId is not null)
        {
            var (mpk, mrk) = StorageKeys.Mark(localAccountId, statusId, kind.ToString());
            try
            {
                await table.AddEntityAsync(new TableEntity(mpk, mrk) { ["StatusId"] = statusId, ["Kind"] = kind.ToString(), ["ActivityId"] = activityId }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                // Bookmarks and pins have only this row: it decides whether the mark is new.
                isNew = isNew && kind is InteractionKind.Favourite or InteractionKind.Reblog;
            }
        }

        return isNew;
    }

    /// <summary>
    /// Removes the actor's favourite or reblog (its record, and the local account's mark), or the account's bookmark or
    /// pin; true when there was one. 1-2 deletes (a missing row answers 404, which storage bills as one transaction).
    /// </summary>
    public async Task<bool> RemoveAsync(InteractionKind kind, string statusId, string actorId, string? localAccountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var removed = false;
        if (localAccountId is not null)
        {
            var (mpk, mrk) = StorageKeys.Mark(localAccountId, statusId, kind.ToString());
            removed = (await table.DeleteEntityAsync(mpk, mrk, ETag.All, cancellationToken)).Status != (int)HttpStatusCode.NotFound;
        }

        if (kind is InteractionKind.Favourite or InteractionKind.Reblog)
        {
            var (pk, rk) = StorageKeys.InteractionBy(kind.ToString(), statusId, actorId);
            var response = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
            removed = response.Status != (int)HttpStatusCode.NotFound;
        }

        return removed;
    }

    /// <summary>The activity id recorded for an actor's favourite or reblog (to check that an Undo names the right one).</summary>
    public async Task<string?> GetActivityIdAsync(InteractionKind kind, string statusId, string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.InteractionBy(kind.ToString(), statusId, actorId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("ActivityId") ?? "" : null;
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
