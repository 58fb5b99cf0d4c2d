using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Per local account, the distinct delivery targets of its followers (issue 17 item 5): one row per shared inbox (or
/// personal inbox when the server has none, or local follower), and behind each a member row per follower, so removing
/// one of several followers on a server keeps its inbox (a range query tells whether members are left). Kept by
/// <see cref="FollowerStore"/> on every follow and removal (unfollow, block, account removal, a changed inbox); an
/// account followed before these rows existed gets them from its first fan-out (<see cref="AddManyAsync"/>, then
/// <see cref="MarkBuiltAsync"/>). Storage: add 2 upserts; remove 1 delete + 1 read + 1 range query (+ 1 delete when
/// the target has no follower left); a fan-out page 1 range query per 1,000 targets.
/// </summary>
public sealed class FollowerInboxStore(FediTables tables)
{
    public const int PageSize = 1000;

    /// <summary>The target a follower is delivered to: its shared inbox, else its inbox; a local follower's account.</summary>
    public static string TargetOf(string deliveryInbox, string? localAccountId) => localAccountId is null ? deliveryInbox : "local:" + localAccountId;

    /// <summary>Records that the follower is delivered through <paramref name="target"/> (idempotent).</summary>
    public async Task AddAsync(string accountId, string followerActorId, string target, string? localAccountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (mpk, mrk) = StorageKeys.FollowerInboxMember(accountId, target, followerActorId);
        await table.UpsertEntityAsync(new TableEntity(mpk, mrk) { ["ActorId"] = followerActorId }, TableUpdateMode.Replace, cancellationToken);

        // Always rewritten (a new ETag): a removal that saw no members left deletes the row only if nothing wrote it since.
        await table.UpsertEntityAsync(Target(accountId, target, localAccountId), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Records many followers at once (the first fan-out of an account followed before these rows existed): 1 transaction per 100 rows.</summary>
    public async Task AddManyAsync(string accountId, IEnumerable<Follower> followers, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var members = new List<TableEntity>();
        var targets = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var f in followers)
        {
            var target = TargetOf(f.DeliveryInbox, f.LocalAccountId);
            var (mpk, mrk) = StorageKeys.FollowerInboxMember(accountId, target, f.ActorId);
            members.Add(new TableEntity(mpk, mrk) { ["ActorId"] = f.ActorId });
            targets.TryAdd(target, Target(accountId, target, f.LocalAccountId));
        }

        foreach (var chunk in members.Chunk(100).Concat(targets.Values.Chunk(100)))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }

    /// <summary>Forgets the follower behind <paramref name="target"/>, and the target when no follower is left behind it.</summary>
    public async Task RemoveAsync(string accountId, string followerActorId, string target, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (mpk, mrk) = StorageKeys.FollowerInboxMember(accountId, target, followerActorId);
        await table.DeleteEntityAsync(mpk, mrk, ETag.All, cancellationToken);

        var (tpk, trk) = StorageKeys.FollowerInbox(accountId, target);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tpk, trk, select: ["RowKey"], cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return;
        }

        var prefix = trk + "|";
        var end = trk + "}";
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {mpk} and RowKey ge {prefix} and RowKey lt {end}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return; // another follower on that server
        }

        try
        {
            await table.DeleteEntityAsync(tpk, trk, row.Value!.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // A follower on that server was added meanwhile: the target stays.
        }
    }

    /// <summary>Whether the account's targets are complete (built by a fan-out or kept since the account's first follower): 1 point read.</summary>
    public async Task<bool> IsBuiltAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowerInboxesBuilt(accountId);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    public async Task MarkBuiltAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowerInboxesBuilt(accountId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// One page of targets whose hash lies in [<paramref name="from"/>, <paramref name="to"/>) (hex prefixes; a shard of
    /// the fan-out), and the token of the next page: 1 range query.
    /// </summary>
    public async Task<(IReadOnlyList<(string? Inbox, string? LocalAccountId, string Key)> Targets, string? ContinuationToken)> GetPageAsync(
        string accountId, string from, string to, string? continuationToken, int pageSize = PageSize, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.FollowersTable, cancellationToken);
        var partition = StorageKeys.FollowerInboxesPartition(accountId);
        var pages = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}"), maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return (page.Values.Select(e => ((string?)e.GetString("Inbox"), (string?)e.GetString("LocalAccountId"), e.RowKey)).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    private static TableEntity Target(string accountId, string target, string? localAccountId)
    {
        var (pk, rk) = StorageKeys.FollowerInbox(accountId, target);
        return new TableEntity(pk, rk)
        {
            ["Inbox"] = localAccountId is null ? target : null,
            ["LocalAccountId"] = localAccountId,
        };
    }
}
