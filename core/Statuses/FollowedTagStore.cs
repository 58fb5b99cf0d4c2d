using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Hashtags local accounts follow (docs: methods/followed_tags, methods/tags#follow): a row per account and tag (for the
/// account's list, keeping the tag as first followed) and a reverse row per tag and account (for placing public posts).
/// Storage: follow 2 upserts (reverse row first, so a crash leaves at most an invisible follower row); unfollow 2 deletes;
/// the account's list 1 range query; whether it follows one 1 point read; a tag's followers 1 range query.
/// </summary>
public sealed class FollowedTagStore(FediTables tables)
{
    /// <summary>Tags one account may follow; Mastodon sets no limit, but a list must stay one page.</summary>
    public const int MaxPerAccount = 500;

    /// <summary>Followers of one tag whose home a post reaches; more follow it but are not served (a bound on one post's writes).</summary>
    public const int MaxFollowersPlaced = 1000;

    /// <summary>Follows <paramref name="tag"/> (as written, for display); false when the account follows <see cref="MaxPerAccount"/> already.</summary>
    public async Task<bool> FollowAsync(string accountId, string tag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        if (!await IsFollowingAsync(accountId, tag, cancellationToken) && (await ListAsync(accountId, cancellationToken)).Count >= MaxPerAccount)
        {
            return false;
        }

        var (rpk, rrk) = StorageKeys.TagFollower(tag, accountId);
        await table.UpsertEntityAsync(new TableEntity(rpk, rrk), TableUpdateMode.Replace, cancellationToken);
        var (pk, rk) = StorageKeys.TagFollow(accountId, tag);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["Name"] = tag }, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task UnfollowAsync(string accountId, string tag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.TagFollow(accountId, tag);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        var (rpk, rrk) = StorageKeys.TagFollower(tag, accountId);
        await table.DeleteEntityAsync(rpk, rrk, ETag.All, cancellationToken);
    }

    public async Task<bool> IsFollowingAsync(string accountId, string tag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.TagFollow(accountId, tag);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>The tags the account follows, by name, as first written.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, _) = StorageKeys.TagFollow(accountId, "");
        var names = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), maxPerPage: MaxPerAccount, cancellationToken: cancellationToken))
        {
            names.Add(row.GetString("Name") ?? row.RowKey);
        }

        return names;
    }

    /// <summary>Local accounts following <paramref name="tag"/>, at most <see cref="MaxFollowersPlaced"/>.</summary>
    public async Task<IReadOnlyList<string>> FollowersAsync(string tag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, _) = StorageKeys.TagFollower(tag, "");
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), maxPerPage: MaxFollowersPlaced, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count >= MaxFollowersPlaced)
            {
                break;
            }
        }

        return ids;
    }
}
