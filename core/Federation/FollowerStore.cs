using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Accounts;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Followers of local accounts and pending follow requests, and (through <see cref="Inboxes"/>) the distinct inboxes a
/// fan-out delivers to. A follower row is written first; its effects (reverse index, inbox set, the caller's
/// notification, the account's counter) follow, the counter last, and <see cref="FollowCountStore"/>'s marker row records
/// that it was counted, so a retry after a failure part way (the row exists, the marker does not) applies them again;
/// each is idempotent. Rows written before the marker existed (without <c>CountMarked</c>) carry <c>Counted</c> and are
/// counted and uncounted as then. Storage: add 1 insert + 1 upsert (reverse index) + 2 upserts (inbox set) + counter (1
/// entity group transaction at the account's ETag when the caller read it, else 1 read + 1 transaction; +2 per lost race,
/// after a jittered pause); a repeat 1 failed insert + 1 read + 1 merge + 1 read (the marker); remove 1 read + 2 deletes
/// + inbox set (3-4) + counter; one page of up to 1,000 followers is one range query.
/// </summary>
public sealed class FollowerStore(FediTables tables, AccountStore accounts, TimeProvider time)
{
    public const int PageSize = 1000;

    private readonly FollowCountStore _counter = new(tables, accounts);

    /// <summary>The distinct inboxes of each account's followers, kept in step by this store.</summary>
    public FollowerInboxStore Inboxes { get; } = new(tables);

    /// <summary>Adds the follower; false when it already followed (nothing changes then).</summary>
    public async Task<bool> AddAsync(string accountId, RemoteActor follower, string? followActivityId, CancellationToken cancellationToken) =>
        await AddAsync(accountId, follower, followActivityId, null, cancellationToken);

    /// <summary>Adds the follower (<paramref name="localAccountId"/> set for a local follower); false when it already followed.</summary>
    public Task<bool> AddAsync(string accountId, RemoteActor follower, string? followActivityId, string? localAccountId, CancellationToken cancellationToken) =>
        AddAsync(accountId, follower, followActivityId, localAccountId, null, cancellationToken);

    /// <summary>
    /// Adds the follower; <paramref name="whenNew"/> (a notification) runs before the follower is counted, so it runs
    /// again when an attempt failed before the count. False when it already followed and was counted (nothing changes
    /// then but a changed inbox, which moves in the inbox set).
    /// </summary>
    public Task<bool> AddAsync(string accountId, RemoteActor follower, string? followActivityId, string? localAccountId, Func<CancellationToken, Task>? whenNew, CancellationToken cancellationToken) =>
        AddAsync(accountId, null, follower, followActivityId, localAccountId, whenNew, cancellationToken);

    /// <summary>
    /// As <see cref="AddAsync(string, RemoteActor, string?, string?, Func{CancellationToken, Task}?, CancellationToken)"/> for a
    /// remote follower of <paramref name="account"/> as just read from storage: the count is tried at once at its ETag.
    /// </summary>
    public Task<bool> AddAsync(LocalAccount account, RemoteActor follower, string? followActivityId, Func<CancellationToken, Task>? whenNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return AddAsync(account.Id, account, follower, followActivityId, null, whenNew, cancellationToken);
    }

    private async Task<bool> AddAsync(string accountId, LocalAccount? read, RemoteActor follower, string? followActivityId, string? localAccountId, Func<CancellationToken, Task>? whenNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(follower);
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.Follower(accountId, follower.Id);
        var entity = new TableEntity(pk, rk)
        {
            ["ActorId"] = follower.Id,
            ["Inbox"] = follower.Inbox,
            ["SharedInbox"] = follower.SharedInbox,
            ["FollowActivityId"] = followActivityId,
            ["CreatedAt"] = time.GetUtcNow(),
            ["LocalAccountId"] = localAccountId,
            ["CountMarked"] = true,
        };
        var target = FollowerInboxStore.TargetOf(follower.SharedInbox ?? follower.Inbox, localAccountId);
        TableEntity? current = null;
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            current = (await table.GetEntityAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken)).Value;

            // Keep the inbox current (servers add a shared inbox later) without counting twice.
            entity.Remove("CountMarked");
            entity.Remove("CreatedAt");
            await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
            var before = FollowerInboxStore.TargetOf(current.GetString("SharedInbox") ?? current.GetString("Inbox"), current.GetString("LocalAccountId"));
            if (before != target)
            {
                await Inboxes.AddAsync(accountId, follower.Id, target, localAccountId, cancellationToken);
                await Inboxes.RemoveAsync(accountId, follower.Id, before, cancellationToken);
            }

            if (current.GetBoolean("CountMarked") == true
                ? current.GetBoolean("Counted") == true || await _counter.IsFollowerCountedAsync(accountId, follower.Id, cancellationToken)
                : current.GetBoolean("Counted") != false)
            {
                return false; // counted (rows from before the marker without Counted were counted too)
            }
        }

        var (rpk, rrk) = StorageKeys.FollowedBy(follower.Id, accountId);
        await table.UpsertEntityAsync(new TableEntity(rpk, rrk) { ["ActorId"] = follower.Id }, TableUpdateMode.Replace, cancellationToken);
        await Inboxes.AddAsync(accountId, follower.Id, target, localAccountId, cancellationToken);
        if (whenNew is not null)
        {
            await whenNew(cancellationToken);
        }

        if (current is not null && current.GetBoolean("CountMarked") != true)
        {
            // A row from before the marker: counted as then, and marked.
            await accounts.AdjustCountersAsync(accountId, followers: +1, cancellationToken: cancellationToken);
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["Counted"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        else if (read is not null)
        {
            await _counter.AddFollowerAsync(read, follower.Id, cancellationToken);
        }
        else
        {
            await _counter.AddFollowerAsync(accountId, follower.Id, cancellationToken);
        }

        return true;
    }

    /// <summary>Local account ids the remote actor follows (reverse index; one range query).</summary>
    public async Task<IReadOnlyList<string>> GetFollowedAccountIdsAsync(string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var partition = StorageKeys.FollowedByPartition(followerActorId);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>
    /// Removes the follower (and its inbox from the set when it was the last follower there); false when it did not
    /// follow. The row goes last, so a retry after a failure part way finds it and completes the removal.
    /// </summary>
    public async Task<bool> RemoveAsync(string accountId, string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.Follower(accountId, followerActorId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["Inbox", "SharedInbox", "LocalAccountId", "Counted", "CountMarked"], cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        var current = row.Value!;
        var (rpk, rrk) = StorageKeys.FollowedBy(followerActorId, accountId);
        await table.DeleteEntityAsync(rpk, rrk, ETag.All, cancellationToken);
        await Inboxes.RemoveAsync(accountId, followerActorId, FollowerInboxStore.TargetOf(current.GetString("SharedInbox") ?? current.GetString("Inbox"), current.GetString("LocalAccountId")), cancellationToken);
        if (current.GetBoolean("CountMarked") == true)
        {
            await _counter.RemoveFollowerAsync(accountId, followerActorId, cancellationToken);
        }
        else if (current.GetBoolean("Counted") != false)
        {
            await accounts.AdjustCountersAsync(accountId, followers: -1, cancellationToken: cancellationToken);
        }

        // DeleteEntityAsync answers a missing row with a 404 response, not an exception.
        var deleted = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        return deleted.Status != (int)HttpStatusCode.NotFound;
    }

    public async Task<bool> IsFollowerAsync(string accountId, string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.Follower(accountId, followerActorId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    public async Task<FollowerPage> GetPageAsync(string accountId, string? continuationToken, int pageSize = PageSize, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var pages = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            var followers = page.Values.Select(e => new Follower(
                e.GetString("ActorId"), e.GetString("Inbox"), e.GetString("SharedInbox"), e.GetString("FollowActivityId"),
                e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue)
            { LocalAccountId = e.GetString("LocalAccountId") }).ToList();
            return new FollowerPage(followers, page.ContinuationToken);
        }

        return new FollowerPage([], null);
    }

    /// <summary>Pending follow requests of a locked account, oldest actor id first (1 range query).</summary>
    public async Task<IReadOnlyList<(string ActorId, string? FollowActivityId, string? LocalAccountId)>> ListRequestsAsync(string accountId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var partition = StorageKeys.FollowRequest(accountId, "").Pk;
        var list = new List<(string, string?, string?)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add((row.GetString("ActorId"), row.GetString("FollowActivityId"), row.GetString("LocalAccountId")));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    public async Task<(string ActorId, string? FollowActivityId, string? LocalAccountId)?> GetRequestAsync(string accountId, string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowRequest(accountId, followerActorId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.GetString("ActorId"), row.Value.GetString("FollowActivityId"), row.Value.GetString("LocalAccountId")) : null;
    }

    public async Task AddRequestAsync(string accountId, RemoteActor follower, string? followActivityId, CancellationToken cancellationToken) =>
        await AddRequestAsync(accountId, follower, followActivityId, null, cancellationToken);

    public async Task AddRequestAsync(string accountId, RemoteActor follower, string? followActivityId, string? localAccountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(follower);
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowRequest(accountId, follower.Id);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["ActorId"] = follower.Id,
            ["FollowActivityId"] = followActivityId,
            ["CreatedAt"] = time.GetUtcNow(),
            ["LocalAccountId"] = localAccountId,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> RemoveRequestAsync(string accountId, string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowRequest(accountId, followerActorId);
        var deleted = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        return deleted.Status != (int)HttpStatusCode.NotFound;
    }
}
