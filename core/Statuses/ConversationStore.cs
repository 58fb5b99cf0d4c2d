using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>A local account's direct conversation: its root status id, the newest status, the other participants (API ids) and whether it is unread.</summary>
public sealed record DirectConversation(string Id, string LastStatusId, IReadOnlyList<string> ParticipantIds, bool Unread);

/// <summary>
/// Direct conversations per local account (docs: methods/conversations), one row per account and conversation root in
/// the interactions table. Storage: a direct status 1 read + 1 upsert per local participant; list 1 range query (at most
/// <see cref="MaxListed"/>, ordered in memory by their newest status); read 1 read + 1 merge; remove 1 delete.
/// </summary>
public sealed class ConversationStore(FediTables tables)
{
    /// <summary>Conversations read per listing; an agency's direct messages stay well below.</summary>
    public const int MaxListed = 1000;

    /// <summary>
    /// Records <paramref name="statusId"/> in the conversation <paramref name="rootId"/> of <paramref name="accountId"/>;
    /// an older status (a late delivery) does not replace a newer one, but may mark it unread.
    /// </summary>
    public async Task TouchAsync(string accountId, string rootId, string statusId, IEnumerable<string> participantIds, bool unread, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Conversation(accountId, rootId);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        var current = existing.HasValue ? ToConversation(existing.Value!) : null;
        var participants = (current?.ParticipantIds ?? []).Union(participantIds.Where(p => p != accountId), StringComparer.Ordinal).Take(100);
        var last = current is not null && string.CompareOrdinal(current.LastStatusId, statusId) > 0 ? current.LastStatusId : statusId;
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["LastStatusId"] = last,
            ["ParticipantIds"] = string.Join(' ', participants),
            ["Unread"] = unread || (current?.Unread ?? false),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The account's conversations, newest status first, below <paramref name="maxId"/> (a last status id) when given.</summary>
    public async Task<IReadOnlyList<DirectConversation>> ListAsync(string accountId, string? maxId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var partition = StorageKeys.ConversationsPartition(accountId);
        var all = new List<DirectConversation>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: MaxListed, cancellationToken: cancellationToken))
        {
            all.Add(ToConversation(row));
            if (all.Count >= MaxListed)
            {
                break;
            }
        }

        return [.. all.Where(c => maxId is null || string.CompareOrdinal(c.LastStatusId, maxId) < 0).OrderByDescending(c => c.LastStatusId, StringComparer.Ordinal).Take(limit)];
    }

    public async Task<DirectConversation?> GetAsync(string accountId, string rootId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Conversation(accountId, rootId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? ToConversation(row.Value!) : null;
    }

    /// <summary>Marks the conversation read; false when the account has no such conversation.</summary>
    public async Task<bool> MarkReadAsync(string accountId, string rootId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Conversation(accountId, rootId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["Unread"] = false }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Removes the conversation from the account's list (a new direct status in it brings it back, as Mastodon).</summary>
    public async Task<bool> RemoveAsync(string accountId, string rootId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Conversation(accountId, rootId);
        // The SDK answers a missing entity's 404 without throwing.
        var response = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    private static DirectConversation ToConversation(TableEntity row) => new(
        row.RowKey,
        row.GetString("LastStatusId") ?? row.RowKey,
        (row.GetString("ParticipantIds") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        row.GetBoolean("Unread") ?? false);
}
