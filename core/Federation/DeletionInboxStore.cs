using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Inboxes a deleted account's <c>Delete</c> was enqueued for (accounts table, keys in <see cref="StorageKeys.DeletionInbox"/>):
/// they keep the deliveries distinct across the deletion's pages and steps. Storage: check 1 point read; record 1 insert.
/// </summary>
public sealed class DeletionInboxStore(FediTables tables)
{
    public async Task<bool> HasAsync(string accountId, string inbox, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.DeletionInbox(accountId, inbox);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    public async Task AddAsync(string accountId, string inbox, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.DeletionInbox(accountId, inbox);
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk) { ["Inbox"] = inbox, ["SentAt"] = sentAt }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // A concurrent run of the same step sent it too: at most one extra delivery.
        }
    }
}
