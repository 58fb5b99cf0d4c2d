using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Servers a local account has hidden (user-level domain blocks): PK <c>domainblock-{accountId}</c>, RK the lower-cased
/// host, in the <c>following</c> table. Storage: add 1 upsert; remove 1 delete; each + 1 upsert (<see cref="HidingVersionStore"/>); list 1 range query. Listings read the list
/// through <see cref="ListRecentAsync"/>: kept per process for <see cref="FollowingStore.RecentLifetime"/>, forgotten
/// when this process changes it.
/// </summary>
public sealed class DomainBlockStore(FediTables tables, TimeProvider time)
{
    public const int MaxPerAccount = 1000;

    private readonly HidingVersionStore _versions = new(tables);

    private readonly ExpiringCache<IReadOnlyList<string>> _recent = new(FollowingStore.RecentLifetime, FollowingStore.RecentCapacity, time);

    /// <summary>As <see cref="ListAsync"/>, free when read at most <see cref="FollowingStore.RecentLifetime"/> ago in this process.</summary>
    public Task<IReadOnlyList<string>> ListRecentAsync(string accountId, CancellationToken cancellationToken) =>
        _recent.GetOrLoadAsync(accountId, () => ListAsync(accountId, cancellationToken));

    public async Task AddAsync(string accountId, string domain, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.DomainBlock(accountId, domain);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["CreatedAt"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        _recent.Remove(accountId);
        await _versions.ChangedAsync(accountId, cancellationToken);
    }

    public async Task RemoveAsync(string accountId, string domain, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.DomainBlock(accountId, domain);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        _recent.Remove(accountId);
        await _versions.ChangedAsync(accountId, cancellationToken);
    }

    public async Task<bool> IsBlockedAsync(string accountId, string? host, CancellationToken cancellationToken)
    {
        if (host is null)
        {
            return false;
        }

        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.DomainBlock(accountId, host);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>The account's blocked hosts (at most <see cref="MaxPerAccount"/>), in host order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var partition = StorageKeys.DomainBlock(accountId, "x").Pk;
        var domains = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            domains.Add(row.RowKey);
            if (domains.Count >= MaxPerAccount)
            {
                break;
            }
        }

        return domains;
    }

    /// <summary>A lower-cased host name (IDN as punycode), or null when <paramref name="domain"/> is not one.</summary>
    public static string? Normalize(string? domain)
    {
        var trimmed = (domain ?? "").Trim().TrimEnd('.');
        if (trimmed.Length is 0 or > 253 || Uri.CheckHostName(trimmed) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return null;
        }

        try
        {
            return new IdnMapping().GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The lower-cased host of an actor or object id, or null for a malformed one.</summary>
    public static string? HostOf(string? id) =>
        Uri.TryCreate(id, UriKind.Absolute, out var uri) ? uri.IdnHost.ToLowerInvariant() : null;
}
