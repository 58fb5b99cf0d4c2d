using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Accounts;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// What local accounts follow, block and mute (targets local or remote, named by actor id). A follow is
/// <c>requested</c> until the target's server accepts it (local unlocked targets accept at once). The reverse index
/// (PK <c>of-</c> + SHA-256 of the target) answers "which local accounts follow this actor" for inbound posts.
/// Storage: follow 1 read + 1 conditional write + 1 upsert + 1 merge (the row marked applied) (+ counter: 1 read + 1 entity
/// group transaction when accepted); unfollow 1 read + 2 deletes (+ counter); state of one pair 1 point read; followers-of
/// 1 range query. The follow row is written with <c>Applied</c> false and marked after its effects (reverse index,
/// counter through <see cref="FollowCountStore"/>'s marker), so a retry after a crash part way completes them; rows from
/// before the mark existed (no <c>Applied</c>) are counted and uncounted as before. Listings read blocks and mutes
/// through <see cref="ListRelationTargetsRecentAsync"/>: kept per process for <see cref="RecentLifetime"/>, forgotten when this process changes them.
/// </summary>
public sealed class FollowingStore(FediTables tables, AccountStore accounts, TimeProvider time)
{
    private readonly FollowCountStore _counter = new(tables, accounts);

    /// <summary>The versions of local accounts' blocks, mutes and domain blocks (the notification rule's one fresh read).</summary>
    public HidingVersionStore HidingVersions { get; } = new(tables);

    /// <summary>Which actors local accounts follow, kept per process (an inbound boost by an actor nobody here follows is not looked up).</summary>
    public FollowedActorStore Followed { get; } = new(tables, time);

    /// <summary>How long a listing may apply a block or mute list read earlier: one changed on another instance applies within it.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Lists kept per process (one per account and kind, and per account for domain blocks; most are empty, about 100 B; a full one of 1,000 targets about 250 KB).</summary>
    public const int RecentCapacity = 2_000;

    private readonly ExpiringCache<IReadOnlyList<(string ActorId, string AccountId)>> _relations = new(RecentLifetime, RecentCapacity, time);

    public const string Requested = "requested";
    public const string Accepted = "accepted";

    /// <summary>The relation kind of account notes (<see cref="SetNoteAsync"/>).</summary>
    public const string NoteKind = "note";

    /// <summary>
    /// Records a follow (requested or accepted); returns the previous state, null when it is new. The follow row is
    /// written conditionally (insert, or replace at the ETag read), so concurrent follows of one pair (a double tap, a
    /// redelivered Accept) move the following count once.
    /// </summary>
    public async Task<string?> AddAsync(string accountId, string targetActorId, string targetAccountId, string followActivityId, bool accepted, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        var state = accepted ? Accepted : Requested;
        for (var attempt = 0; ; attempt++)
        {
            var row = await ReadAsync(table, accountId, targetActorId, cancellationToken);
            var previous = row is null ? null : ToFollowing(row);
            if (previous is { State: Accepted })
            {
                if (row!.GetBoolean("Applied") == false)
                {
                    await ApplyAsync(table, accountId, targetActorId, row, cancellationToken); // a crash interrupted it
                }

                return Accepted;
            }

            var entity = new TableEntity(pk, rk)
            {
                ["TargetActorId"] = targetActorId,
                ["TargetAccountId"] = targetAccountId,
                ["FollowActivityId"] = previous?.FollowActivityId ?? followActivityId,
                ["State"] = state,
                ["CreatedAt"] = time.GetUtcNow(),
                ["ShowReblogs"] = previous?.ShowReblogs ?? true,
                ["Applied"] = false,
            };
            try
            {
                if (row is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
            catch (RequestFailedException e) when (attempt < 4 && e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                continue; // another writer got there first: decide again from what it wrote
            }

            await ApplyAsync(table, accountId, targetActorId, entity, cancellationToken);
            return previous?.State;
        }
    }

    /// <summary>The effects of a written follow row: its reverse index, the count when accepted, then the row marked applied.</summary>
    private async Task ApplyAsync(TableClient table, string accountId, string targetActorId, TableEntity row, CancellationToken cancellationToken)
    {
        var state = row.GetString("State");
        var (rpk, rrk) = StorageKeys.FollowingOf(targetActorId, accountId);
        await table.UpsertEntityAsync(new TableEntity(rpk, rrk) { ["State"] = state, ["ShowReblogs"] = row.GetBoolean("ShowReblogs") ?? true }, TableUpdateMode.Replace, cancellationToken);
        if (state == Accepted)
        {
            Followed.Accepted(targetActorId);
            await _counter.AddFollowingAsync(accountId, targetActorId, cancellationToken);
        }

        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["Applied"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound) // unfollowed meanwhile: the removal uncounted it
        {
        }
    }

    /// <summary>
    /// The target accepted: a requested follow becomes accepted (true), anything else changes nothing. Conditional on the
    /// row read, so two deliveries of one Accept count the follow once.
    /// </summary>
    public async Task<bool> AcceptAsync(string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await ReadAsync(table, accountId, targetActorId, cancellationToken);
            if (row is not null && row.GetString("State") == Accepted && row.GetBoolean("Applied") == false)
            {
                await ApplyAsync(table, accountId, targetActorId, row, cancellationToken); // a crash interrupted it
            }

            if (row is null || row.GetString("State") != Requested)
            {
                return false;
            }

            try
            {
                await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["State"] = Accepted, ["Applied"] = false }, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (attempt < 4 && e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                continue;
            }

            row["State"] = Accepted;
            await ApplyAsync(table, accountId, targetActorId, row, cancellationToken);
            return true;
        }
    }

    /// <summary>Removes the follow (unfollow, Reject, Block); returns what was removed, null when there was nothing.</summary>
    public async Task<Following?> RemoveAsync(string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var row = await ReadAsync(table, accountId, targetActorId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var existing = ToFollowing(row);
        var marked = row.GetBoolean("Applied") is not null;
        if (marked && existing.State == Accepted)
        {
            await _counter.RemoveFollowingAsync(accountId, targetActorId, cancellationToken); // first: a retry finds the row
        }

        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        var deleted = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        var (rpk, rrk) = StorageKeys.FollowingOf(targetActorId, accountId);
        await table.DeleteEntityAsync(rpk, rrk, ETag.All, cancellationToken);
        if (!marked && existing.State == Accepted && deleted.Status != (int)HttpStatusCode.NotFound)
        {
            await accounts.AdjustCountersAsync(accountId, following: -1, cancellationToken: cancellationToken);
        }

        return existing;
    }

    public async Task<Following?> GetAsync(string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        return await ReadAsync(table, accountId, targetActorId, cancellationToken) is { } row ? ToFollowing(row) : null;
    }

    private static async Task<TableEntity?> ReadAsync(TableClient table, string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        return await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken) is { HasValue: true } row ? row.Value : null;
    }

    /// <summary>Local account ids whose follow of the actor is accepted (they get its posts in their home timeline).</summary>
    public Task<IReadOnlyList<string>> GetLocalFollowersOfAsync(string targetActorId, CancellationToken cancellationToken) =>
        LocalFollowersAsync(targetActorId, reblogsOnly: false, cancellationToken);

    /// <summary>Local account ids following the actor with its boosts shown (Mastodon's <c>reblogs</c> of a follow): 1 range query, none for an actor nobody here follows (<see cref="Followed"/>).</summary>
    public async Task<IReadOnlyList<string>> GetLocalFollowersShowingReblogsAsync(string targetActorId, CancellationToken cancellationToken) =>
        await Followed.MayBeFollowedAsync(targetActorId, cancellationToken) ? await LocalFollowersAsync(targetActorId, reblogsOnly: true, cancellationToken) : [];

    /// <summary>
    /// Shows or hides the target's boosts in the account's home (the follow's <c>reblogs</c>), on the follow row and its
    /// reverse index row; false when the account does not follow (or ask to follow) the target. 1 read (+ 2 merges when
    /// the flag changes).
    /// </summary>
    public async Task<bool> SetShowReblogsAsync(string accountId, string targetActorId, bool show, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var row = await ReadAsync(table, accountId, targetActorId, cancellationToken);
        if (row is null)
        {
            return false;
        }

        if ((row.GetBoolean("ShowReblogs") ?? true) == show)
        {
            return true;
        }

        var (pk, rk) = StorageKeys.Following(accountId, targetActorId);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["ShowReblogs"] = show }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        var (rpk, rrk) = StorageKeys.FollowingOf(targetActorId, accountId);
        await table.UpsertEntityAsync(new TableEntity(rpk, rrk) { ["ShowReblogs"] = show }, TableUpdateMode.Merge, cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<string>> LocalFollowersAsync(string targetActorId, bool reblogsOnly, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var partition = StorageKeys.FollowingOfPartition(targetActorId);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (row.GetString("State") == Accepted && (!reblogsOnly || row.GetBoolean("ShowReblogs") != false))
            {
                ids.Add(row.RowKey);
            }
        }

        return ids;
    }

    /// <summary>A page of the account's accepted follows, in actor-id order; the continuation is the last row key.</summary>
    public async Task<(IReadOnlyList<Following> Items, string? Next)> ListAsync(string accountId, string? after, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var start = after ?? "";
        var list = new List<Following>(limit);
        string? last = null;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {start}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            last = row.RowKey;
            if (row.GetString("State") == Accepted)
            {
                list.Add(ToFollowing(row));
            }

            if (list.Count >= limit)
            {
                return (list, last);
            }
        }

        return (list, null);
    }

    /// <summary>The first <paramref name="limit"/> follows of the account in any state (account deletion removes them page by page).</summary>
    public async Task<IReadOnlyList<Following>> ListAnyStateAsync(string accountId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var list = new List<Following>(limit);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add(ToFollowing(row));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>Local account ids following the actor in any state, requested included (1 range query).</summary>
    public async Task<IReadOnlyList<string>> GetLocalFollowersOfAnyStateAsync(string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var partition = StorageKeys.FollowingOfPartition(targetActorId);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>Blocks and mutes: one row per (account, target) in a partition of their own; a change of them changes the account's <see cref="HidingVersions"/> after it.</summary>
    public async Task SetRelationAsync(string kind, string accountId, string targetActorId, string targetAccountId, bool on, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Relation(kind, accountId, targetActorId);
        if (on)
        {
            await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["TargetActorId"] = targetActorId, ["TargetAccountId"] = targetAccountId, ["CreatedAt"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        }
        else
        {
            await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        }

        _relations.Remove(kind + "|" + accountId);
        await (kind is RelationshipService.Block or RelationshipService.Mute ? HidingVersions.ChangedAsync(accountId, cancellationToken) : Task.CompletedTask);
    }

    public async Task<bool> HasRelationAsync(string kind, string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Relation(kind, accountId, targetActorId);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>
    /// Stores the account's private note on the target (Mastodon's account note); an empty comment removes it.
    /// 1 upsert or 1 delete, on the relation row of kind <c>note</c>.
    /// </summary>
    public async Task SetNoteAsync(string accountId, string targetActorId, string targetAccountId, string comment, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Relation(NoteKind, accountId, targetActorId);
        if (comment.Length == 0)
        {
            await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
            return;
        }

        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["TargetActorId"] = targetActorId, ["TargetAccountId"] = targetAccountId, ["Comment"] = comment, ["CreatedAt"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The account's private note on the target, "" when none (1 point read).</summary>
    public async Task<string> GetNoteAsync(string accountId, string targetActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.Relation(NoteKind, accountId, targetActorId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["Comment"], cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("Comment") ?? "" : "";
    }

    /// <summary>Actor and API account ids in the account's block or mute list, up to <paramref name="limit"/> (1 range query).</summary>
    public async Task<IReadOnlyList<(string ActorId, string AccountId)>> ListRelationTargetsAsync(string kind, string accountId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var partition = StorageKeys.RelationPartition(kind, accountId);
        var targets = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            targets.Add((row.GetString("TargetActorId"), row.GetString("TargetAccountId")));
            if (targets.Count >= limit)
            {
                break;
            }
        }

        return targets;
    }

    /// <summary>
    /// The account's block or mute list (<see cref="AccountHiding.MaxListed"/> at most) as read at most
    /// <see cref="RecentLifetime"/> ago in this process (free), else 1 range query.
    /// </summary>
    public Task<IReadOnlyList<(string ActorId, string AccountId)>> ListRelationTargetsRecentAsync(string kind, string accountId, CancellationToken cancellationToken) =>
        _relations.GetOrLoadAsync(kind + "|" + accountId, () => ListRelationTargetsAsync(kind, accountId, AccountHiding.MaxListed, cancellationToken));

    /// <summary>Every actor in the account's block or mute list with its API account id, paged by the SDK (1 range query per 1,000).</summary>
    public async IAsyncEnumerable<(string TargetActorId, string TargetAccountId)> EnumerateRelationAsync(string kind, string accountId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var partition = StorageKeys.RelationPartition(kind, accountId);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["TargetActorId", "TargetAccountId"], cancellationToken: cancellationToken))
        {
            yield return (row.GetString("TargetActorId"), row.GetString("TargetAccountId"));
        }
    }

    private static Following ToFollowing(TableEntity row) => new(
        row.GetString("TargetActorId"),
        row.GetString("TargetAccountId"),
        row.GetString("FollowActivityId"),
        row.GetString("State"),
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetBoolean("ShowReblogs") ?? true);
}

/// <summary>A local account's follow of an actor; <see cref="ShowReblogs"/> is Mastodon's <c>reblogs</c> of the follow.</summary>
public sealed record Following(string TargetActorId, string TargetAccountId, string FollowActivityId, string State, DateTimeOffset CreatedAt, bool ShowReblogs = true);
