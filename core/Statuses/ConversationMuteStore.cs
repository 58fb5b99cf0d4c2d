using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Conversations local accounts muted, one row per account and root status id in the interactions table.
/// Storage: mute 1 upsert; unmute 1 delete; list 1 range query (at most <see cref="MaxListed"/> rows).
/// </summary>
public sealed class ConversationMuteStore(FediTables tables)
{
    /// <summary>Muted conversations read per account; more are kept but no longer checked (Mastodon has no cap; a page must not read without bound).</summary>
    public const int MaxListed = 1000;

    public async Task MuteAsync(string accountId, string rootId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.ConversationMute(accountId, rootId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task UnmuteAsync(string accountId, string rootId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var (pk, rk) = StorageKeys.ConversationMute(accountId, rootId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>The root ids of the conversations the account muted.</summary>
    public async Task<IReadOnlySet<string>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.InteractionsTable, cancellationToken);
        var partition = StorageKeys.ConversationMutesPartition(accountId);
        var roots = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: MaxListed, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            roots.Add(row.RowKey);
            if (roots.Count >= MaxListed)
            {
                break;
            }
        }

        return roots;
    }
}
