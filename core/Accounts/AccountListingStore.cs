using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Reads over every local account: the admin list, local search, the front page's directory, NodeInfo's totals and the
/// instance statistics. Each is range queries over the account partition, one per 1,000 rows (a directory page: one),
/// projected to the columns it needs where it can. Access tokens kept beside their account rows
/// (<see cref="StorageKeys.AccountAccessToken"/>) fall in the same ranges and are skipped.
/// </summary>
public sealed class AccountListingStore(FediTables tables, TimeProvider time)
{
    /// <summary>All live local accounts, oldest first (deleted ones are left out).</summary>
    public async IAsyncEnumerable<LocalAccount> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        await foreach (var row in table.QueryAsync<AccountEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.AccountPartition} and RowKey lt {StorageKeys.AccountRowsEnd}"), cancellationToken: cancellationToken))
        {
            if (row.DeletedAt is null && StorageKeys.IsAccountRow(row.RowKey))
            {
                yield return row.ToAccount();
            }
        }
    }

    /// <summary>
    /// Discoverable local accounts, oldest first, after the account id <paramref name="after"/> when given: one projected
    /// range query over the account partition per page (hidden accounts are skipped, so a page may hold fewer).
    /// </summary>
    public async Task<DirectoryPage> ListDirectoryAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var from = after is not null && SnowflakeIds.IsValid(after) ? after : "";
        string[] columns =
        [
            "RowKey", nameof(AccountEntity.Username), nameof(AccountEntity.DisplayName), nameof(AccountEntity.Note), nameof(AccountEntity.ActorType),
            nameof(AccountEntity.Discoverable), nameof(AccountEntity.StatusesCount), nameof(AccountEntity.FollowersCount), nameof(AccountEntity.DeletedAt),
        ];
        var list = new List<DirectoryEntry>(limit);
        string? last = null;
        var read = 0;
        await foreach (var row in table.QueryAsync<AccountEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.AccountPartition} and RowKey gt {from} and RowKey lt {StorageKeys.AccountRowsEnd}"), maxPerPage: limit, select: columns, cancellationToken: cancellationToken))
        {
            if (!StorageKeys.IsAccountRow(row.RowKey))
            {
                continue;
            }

            read++;
            last = row.RowKey;
            if (row.Discoverable && row.DeletedAt is null)
            {
                list.Add(new DirectoryEntry(row.RowKey, row.Username, row.DisplayName, row.Note,
                    row.ParseActorType(), row.StatusesCount, row.FollowersCount));
            }

            if (read >= limit)
            {
                break;
            }
        }

        return new DirectoryPage(list, read >= limit ? last : null);
    }

    /// <summary>Counts read for NodeInfo: one projected range query over the account partition.</summary>
    public async Task<AccountTotals> GetTotalsAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var now = time.GetUtcNow();
        long users = 0, posts = 0, activeMonth = 0, activeHalfYear = 0;
        await foreach (var row in table.QueryAsync<AccountEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.AccountPartition} and RowKey lt {StorageKeys.AccountRowsEnd}"),
            select: ["RowKey", nameof(AccountEntity.StatusesCount), nameof(AccountEntity.LastStatusAt), nameof(AccountEntity.DeletedAt)],
            cancellationToken: cancellationToken))
        {
            if (row.DeletedAt is not null || !StorageKeys.IsAccountRow(row.RowKey))
            {
                continue;
            }

            users++;
            posts += row.StatusesCount;
            if (row.LastStatusAt is { } last)
            {
                if (now - last <= TimeSpan.FromDays(30))
                {
                    activeMonth++;
                }

                if (now - last <= TimeSpan.FromDays(180))
                {
                    activeHalfYear++;
                }
            }
        }

        return new AccountTotals(users, activeMonth, activeHalfYear, posts);
    }

    /// <summary>Every local account row's id and creation time, deleted ones included (1 range query projected to 2 columns per 1,000 accounts).</summary>
    public async Task<IReadOnlyList<(string Id, DateTimeOffset? CreatedAt)>> ListCreatedAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var rows = new List<(string, DateTimeOffset?)>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{StorageKeys.AccountPartition}' and RowKey lt '{StorageKeys.AccountRowsEnd}'", select: ["RowKey", "CreatedAt"], cancellationToken: cancellationToken))
        {
            if (StorageKeys.IsAccountRow(row.RowKey))
            {
                rows.Add((row.RowKey, row.GetDateTimeOffset("CreatedAt")));
            }
        }

        return rows;
    }
}
