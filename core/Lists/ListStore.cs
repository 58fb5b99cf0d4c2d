using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Lists;

/// <summary>
/// Lists and their members in the <c>lists</c> table: list rows (PK owner id, RK list id), member rows
/// (PK <c>members-{listId}</c>, RK descending member id, newest account first) and a reverse index
/// (PK <c>in-{ownerId}-{memberId}</c>, RK list id) answering "which of my lists hold this account" in one query.
/// Storage: lists 1 range query; get 1 point read; save 1 upsert; members page 1 range query; add a member 2 upserts;
/// remove 2 deletes; delete a list 1 delete + 1 range query + 2 deletes per member.
/// </summary>
public sealed class ListStore(FediTables tables)
{
    /// <summary>Mastodon's bound on lists per account.</summary>
    public const int MaxListsPerAccount = 50;

    /// <summary>Our bound on members per list: a list timeline reads every member, so lists stay small.</summary>
    public const int MaxMembersPerList = 1000;

    public async Task<IReadOnlyList<AccountList>> ListAsync(string ownerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var lists = new List<AccountList>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ownerId}"), cancellationToken: cancellationToken))
        {
            lists.Add(FromEntity(row));
        }

        return lists;
    }

    public async Task<AccountList?> GetAsync(string ownerId, string listId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(listId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var (pk, rk) = StorageKeys.List(ownerId, listId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task SaveAsync(AccountList list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var (pk, rk) = StorageKeys.List(list.OwnerId, list.Id);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["Title"] = list.Title,
            ["RepliesPolicy"] = list.RepliesPolicy,
            ["Exclusive"] = list.Exclusive,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Deletes the list and its members (member rows first, so a crash leaves no member without a way to be found).</summary>
    public async Task DeleteAsync(AccountList list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        foreach (var member in await MembersAsync(list.Id, cancellationToken))
        {
            await RemoveMemberAsync(list, member, cancellationToken);
        }

        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var (pk, rk) = StorageKeys.List(list.OwnerId, list.Id);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Every member's account id, newest account first (at most <see cref="MaxMembersPerList"/>).</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string listId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var members = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ListMembersPartition(listId)}"), select: ["AccountId"], cancellationToken: cancellationToken))
        {
            if (row.GetString("AccountId") is { } id)
            {
                members.Add(id);
            }
        }

        return members;
    }

    public async Task AddMemberAsync(AccountList list, string memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        // Reverse index first: a crash leaves a pointer that the member row's absence makes harmless.
        var (ipk, irk) = StorageKeys.ListMembership(list.OwnerId, memberId, list.Id);
        await table.UpsertEntityAsync(new TableEntity(ipk, irk), TableUpdateMode.Replace, cancellationToken);
        var (pk, rk) = MemberKey(list.Id, memberId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["AccountId"] = memberId }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveMemberAsync(AccountList list, string memberId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var (pk, rk) = MemberKey(list.Id, memberId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        var (ipk, irk) = StorageKeys.ListMembership(list.OwnerId, memberId, list.Id);
        await table.DeleteEntityAsync(ipk, irk, ETag.All, cancellationToken);
    }

    /// <summary>Ids of <paramref name="ownerId"/>'s lists holding <paramref name="memberId"/> (for <c>/api/v1/accounts/:id/lists</c>).</summary>
    public async Task<IReadOnlyList<string>> ListsContainingAsync(string ownerId, string memberId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ListsTable, cancellationToken);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ListMembershipPartition(ownerId, memberId)}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>Member rows sort newest account first for snowflake ids; other ids (remote accounts, later) sort after them.</summary>
    private static (string Pk, string Rk) MemberKey(string listId, string memberId) =>
        SnowflakeIds.IsValid(memberId)
            ? StorageKeys.ListMember(listId, StorageKeys.Descending(memberId))
            : StorageKeys.ListMember(listId, "x" + StorageKeys.Escape(memberId));

    private static AccountList FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        OwnerId = e.PartitionKey,
        Title = e.GetString("Title") ?? "",
        RepliesPolicy = e.GetString("RepliesPolicy") ?? "list",
        Exclusive = e.GetBoolean("Exclusive") ?? false,
    };
}
