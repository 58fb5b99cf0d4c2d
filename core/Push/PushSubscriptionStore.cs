using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Push;

/// <summary>
/// Web Push subscriptions in the <c>oauth</c> table beside the tokens they belong to: one row per access token in the
/// account's partition (<see cref="StorageKeys.PushSubscription"/>), so a push reads all of an account's subscriptions
/// with one range query, and a marker row per account that has any (<see cref="StorageKeys.PushRecipient"/>), which
/// <see cref="PushTrigger"/> reads as one small set. Storage: put 2 upserts; get 1 point read; delete 1 delete;
/// list 1 range query; recipients 1 range query (per 1,000 accounts).
/// </summary>
public sealed class PushSubscriptionStore(FediTables tables)
{
    /// <summary>Writes the subscription (replacing the token's previous one) and marks the account as a push recipient.</summary>
    public async Task PutAsync(PushSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (mpk, mrk) = StorageKeys.PushRecipient(subscription.AccountId);
        await table.UpsertEntityAsync(new TableEntity(mpk, mrk), TableUpdateMode.Replace, cancellationToken);
        var (pk, rk) = StorageKeys.PushSubscription(subscription.AccountId, subscription.TokenHash);
        await table.UpsertEntityAsync(
            new TableEntity(pk, rk)
            {
                ["SubscriptionId"] = subscription.Id,
                ["Endpoint"] = subscription.Endpoint,
                ["P256dh"] = subscription.P256dh,
                ["Auth"] = subscription.Auth,
                ["Alerts"] = string.Join(' ', subscription.Alerts),
                ["Policy"] = subscription.Policy.ToString(),
                ["Standard"] = subscription.Standard,
                ["SealedToken"] = subscription.SealedToken,
                ["CreatedAt"] = subscription.CreatedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<PushSubscription?> GetAsync(string accountId, string tokenHash, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PushSubscription(accountId, tokenHash);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? ToSubscription(accountId, row.Value!) : null;
    }

    /// <summary>Removes the token's subscription; false when it had none. The recipient marker stays until a push finds no subscription.</summary>
    public async Task<bool> DeleteAsync(string accountId, string tokenHash, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PushSubscription(accountId, tokenHash);
        var response = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Every subscription of the account (a handful: one per signed-in app).</summary>
    public async Task<IReadOnlyList<PushSubscription>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var partition = StorageKeys.PushSubscription(accountId, "").Pk;
        var result = new List<PushSubscription>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            result.Add(ToSubscription(accountId, row));
        }

        return result;
    }

    /// <summary>The accounts marked as having a subscription (a mark may outlive the last one until a push clears it).</summary>
    public async Task<IReadOnlySet<string>> ListRecipientsAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var result = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.PushRecipientsPartition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            result.Add(row.RowKey);
        }

        return result;
    }

    /// <summary>Clears the account's recipient mark (a push found no subscription left). 1 delete.</summary>
    public async Task RemoveRecipientAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PushRecipient(accountId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    private static PushSubscription ToSubscription(string accountId, TableEntity row) => new(
        row.GetString("SubscriptionId") ?? "",
        accountId,
        row.RowKey,
        row.GetString("Endpoint") ?? "",
        row.GetBinary("P256dh") ?? [],
        row.GetBinary("Auth") ?? [],
        (row.GetString("Alerts") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        Enum.TryParse<PushPolicy>(row.GetString("Policy"), out var policy) ? policy : PushPolicy.All,
        row.GetBoolean("Standard") ?? false,
        row.GetBinary("SealedToken"),
        row.GetDateTimeOffset("CreatedAt") ?? default);
}
