using Azure.Data.Tables;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Featured hashtags of local accounts (accounts table, PK <c>featuredtags-{accountId}</c>, RK the lower-cased name,
/// so a name is featured once) and the hashtag use they show, counted over the account's own status copies.
/// </summary>
public sealed class FeaturedTagStore(FediTables tables, SnowflakeIds ids, TimeProvider time)
{
    /// <summary>Featured tags per account (Mastodon's default <c>max_featured_tags</c>).</summary>
    public const int MaxPerAccount = 10;

    /// <summary>How many of an account's newest statuses the counts and suggestions look at (one range query).</summary>
    public const int StatusesScanned = 1000;

    /// <summary>The featured tags, oldest first, with their counts: 1 range query (tags) + 1 range query (statuses).</summary>
    public async Task<IReadOnlyList<FeaturedTag>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(accountId, cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var usage = await UsageAsync(accountId, cancellationToken);
        return rows.Select(r => WithUsage(r, usage)).ToList();
    }

    /// <summary>The names of the featured tags, oldest first, without counts: 1 range query.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(string accountId, CancellationToken cancellationToken) =>
        (await RowsAsync(accountId, cancellationToken)).Select(r => r.GetString("Name")).ToList();

    /// <summary>Features <paramref name="name"/>; the existing one when already featured, null when the account has the maximum.</summary>
    public async Task<FeaturedTag?> AddAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(accountId, cancellationToken);
        var existing = rows.FirstOrDefault(r => string.Equals(r.RowKey, name, StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            if (rows.Count >= MaxPerAccount)
            {
                return null;
            }

            existing = new TableEntity(StorageKeys.FeaturedTagsPartition(accountId), name.ToLowerInvariant())
            {
                ["FeaturedTagId"] = ids.Next(),
                ["Name"] = name,
                ["CreatedAt"] = time.GetUtcNow(),
            };
            var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
            try
            {
                await table.AddEntityAsync(existing, cancellationToken);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 409)
            {
                // Featured concurrently: answer the row that won.
                existing = (await table.GetEntityAsync<TableEntity>(existing.PartitionKey, existing.RowKey, cancellationToken: cancellationToken)).Value;
            }
        }

        return WithUsage(existing, await UsageAsync(accountId, cancellationToken));
    }

    /// <summary>Stops featuring the tag with <paramref name="id"/>; false when the account has none. 1 range query + 1 delete.</summary>
    public async Task<bool> RemoveAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        var row = (await RowsAsync(accountId, cancellationToken)).FirstOrDefault(r => r.GetString("FeaturedTagId") == id);
        if (row is null)
        {
            return false;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
        return true;
    }

    /// <summary>The hashtags of the account's public and unlisted statuses, most used first, as last written: 1 range query.</summary>
    public async Task<IReadOnlyList<string>> MostUsedAsync(string accountId, int limit, CancellationToken cancellationToken)
    {
        var usage = await UsageAsync(accountId, cancellationToken);
        return usage.OrderByDescending(u => u.Value.Count).ThenByDescending(u => u.Value.Last).Select(u => u.Value.Name).Take(limit).ToList();
    }

    private async Task<List<TableEntity>> RowsAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.FeaturedTagsPartition(accountId)}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows.OrderBy(r => r.GetString("FeaturedTagId"), StringComparer.Ordinal).ToList();
    }

    /// <summary>Per lower-cased tag: how many of the newest statuses carry it, the newest one's time, the name as written.</summary>
    private async Task<Dictionary<string, (int Count, DateTimeOffset Last, string Name)>> UsageAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var usage = new Dictionary<string, (int Count, DateTimeOffset Last, string Name)>(StringComparer.Ordinal);
        var read = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.AccountStatusesPartition(accountId)}"), maxPerPage: StatusesScanned, select: ["Tags", "Visibility", "CreatedAt"], cancellationToken: cancellationToken))
        {
            if (++read > StatusesScanned)
            {
                break;
            }

            // Mastodon counts the statuses anyone can find on the profile: public and unlisted.
            if (row.GetString("Visibility") is not (nameof(Visibility.Public) or nameof(Visibility.Unlisted)))
            {
                continue;
            }

            var at = row.GetDateTimeOffset("CreatedAt") ?? default;
            foreach (var tag in (row.GetString("Tags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var key = tag.ToLowerInvariant();
                usage[key] = usage.TryGetValue(key, out var u) ? (u.Count + 1, u.Last > at ? u.Last : at, u.Name) : (1, at, tag);
            }
        }

        return usage;
    }

    private static FeaturedTag WithUsage(TableEntity row, Dictionary<string, (int Count, DateTimeOffset Last, string Name)> usage) =>
        usage.TryGetValue(row.RowKey, out var u)
            ? new FeaturedTag(row.GetString("FeaturedTagId"), row.GetString("Name"), u.Count, u.Last)
            : new FeaturedTag(row.GetString("FeaturedTagId"), row.GetString("Name"), 0, null);
}
