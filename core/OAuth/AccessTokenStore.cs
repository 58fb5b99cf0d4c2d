using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using ServerlessFedi.Accounts;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Access tokens: 256 random bits, base64url, shown once; stored as the SHA-256 of the token (a slow hash adds
/// nothing for a secret of full entropy). A token that acts for an account names it, <c>{accountId}.{secret}</c>, and
/// its row sits beside the account row (<see cref="StorageKeys.AccountAccessToken"/>), so the bearer's token and account
/// are one range query (<see cref="FindWithAccountAsync"/>); the id in front is public and grants nothing: the row is
/// found by the hash of the whole token. Application-only tokens, and account tokens issued before they named their
/// account, are rows of their own (<see cref="StorageKeys.AccessToken"/>) and keep working. Storage transactions: issue
/// 2 writes (token row, per-account row; a staff member's token 3, with the per-staff row); lookup 1 point read, or 1
/// range query with the account.
/// </summary>
public sealed class AccessTokenStore(FediTables tables, TimeProvider time)
{
    /// <summary>Separates the account id from the secret in a token that names its account.</summary>
    public const char AccountSeparator = '.';

    /// <summary>
    /// Issues a token; an empty <paramref name="accountId"/> makes an application-only token (client_credentials); a
    /// <paramref name="staff"/> name makes the token a staff member's, listed for <see cref="RevokeStaffAsync"/>.
    /// </summary>
    public async Task<string> IssueAsync(string accountId, IReadOnlyList<string> scopes, string? applicationId = null, string? description = null, string? staff = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (accountId.Length > 0 && !SnowflakeIds.IsValid(accountId))
        {
            throw new ArgumentException("Not an account id.", nameof(accountId));
        }

        var token = accountId.Length > 0 ? accountId + AccountSeparator + OAuthSecrets.NewToken() : OAuthSecrets.NewToken();
        var hash = Hash(token);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = accountId.Length > 0 ? StorageKeys.AccountAccessToken(accountId, hash) : StorageKeys.AccessToken(hash);
        var entity = new AccessTokenEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            AccountId = accountId,
            Scopes = string.Join(' ', scopes),
            ApplicationId = applicationId,
            CreatedAt = time.GetUtcNow(),
            Description = description,
            Staff = staff,
        };

        // The per-account row first: a crash after it leaves a harmless pointer, never a token that cannot be listed and revoked.
        // An application-only token (client_credentials, empty account id) has no per-account row.
        if (accountId.Length > 0)
        {
            var (apk, ark) = StorageKeys.AccountToken(accountId, hash);
            await table.UpsertEntityAsync(new TableEntity(apk, ark) { ["CreatedAt"] = entity.CreatedAt, ["Description"] = description }, TableUpdateMode.Replace, cancellationToken);
            if (staff is not null)
            {
                var (spk, srk) = StorageKeys.StaffToken(accountId, staff, hash);
                await table.UpsertEntityAsync(new TableEntity(spk, srk) { ["CreatedAt"] = entity.CreatedAt }, TableUpdateMode.Replace, cancellationToken);
            }
        }

        var home = accountId.Length > 0 ? await tables.GetAsync(StorageNames.AccountsTable, cancellationToken) : table;
        await home.AddEntityAsync(entity, cancellationToken);
        return token;
    }

    /// <summary>The account a token names (<c>{accountId}.{secret}</c>), or null for a token that names none or is malformed.</summary>
    public static string? AccountOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var separator = token.IndexOf(AccountSeparator, StringComparison.Ordinal);
        return separator > 0 && SnowflakeIds.IsValid(token[..separator]) && OAuthSecrets.LooksLikeToken(token[(separator + 1)..])
            ? token[..separator]
            : null;
    }

    /// <summary>
    /// The token's grant and, for a token that names its account, that account's row from the same range query (from
    /// the account row to the token's, so the account's other tokens between them come along and are ignored): 1
    /// transaction. For a token that names no account, the grant alone (1 point read) and <see cref="TokenLookup.AccountRead"/>
    /// false: the caller reads the account. Null grant when unknown, revoked, expired or naming another account.
    /// </summary>
    public async Task<TokenLookup> FindWithAccountAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return new TokenLookup(null, null, AccountRead: false);
        }

        if (AccountOf(token) is not { } accountId)
        {
            return new TokenLookup(await FindAsync(token, cancellationToken), null, AccountRead: false);
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.AccountAccessToken(accountId, Hash(token));
        AccountTokenRow? grant = null;
        LocalAccount? account = null;
        await foreach (var row in table.QueryAsync<AccountTokenRow>(
            TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {accountId} and RowKey le {rk}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == accountId)
            {
                account = row.ToAccount();
            }
            else if (row.RowKey == rk)
            {
                grant = row;
            }
        }

        return new TokenLookup(grant is null ? null : Grant(grant.ToToken()), account, AccountRead: true);
    }

    /// <summary>The token's grant, or null when unknown, revoked or expired.</summary>
    public async Task<AccessToken?> FindAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return null;
        }

        var (table, pk, rk) = await LocateAsync(token, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<AccessTokenEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? Grant(row.Value!) : null;
    }

    /// <summary>The grant a stored row gives now: null once expired, or when a row beside an account names another one.</summary>
    private AccessToken? Grant(AccessTokenEntity e)
    {
        if (e.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return null;
        }

        if (e.PartitionKey == StorageKeys.AccountPartition && !e.RowKey.StartsWith(e.AccountId + "~", StringComparison.Ordinal))
        {
            return null;
        }

        return new AccessToken(e.AccountId, e.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), e.ApplicationId, e.CreatedAt, e.ExpiresAt, e.Description, e.Staff);
    }

    /// <summary>Where a token's row is: beside its account when it names one, else a row of its own in the oauth table.</summary>
    private async Task<(TableClient Table, string Pk, string Rk)> LocateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        if (AccountOf(token) is { } accountId)
        {
            var (apk, ark) = StorageKeys.AccountAccessToken(accountId, hash);
            return (await tables.GetAsync(StorageNames.AccountsTable, cancellationToken), apk, ark);
        }

        var (pk, rk) = StorageKeys.AccessToken(hash);
        return (await tables.GetAsync(StorageNames.OAuthTable, cancellationToken), pk, rk);
    }

    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return false;
        }

        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var hash = Hash(token);
        var (home, pk, rk) = await LocateAsync(token, cancellationToken);
        var row = await home.GetEntityIfExistsAsync<AccessTokenEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        await home.DeleteEntityAsync(pk, rk, cancellationToken: cancellationToken);
        if (row.Value!.AccountId.Length > 0)
        {
            var (apk, ark) = StorageKeys.AccountToken(row.Value.AccountId, hash);
            await table.DeleteEntityAsync(apk, ark, cancellationToken: cancellationToken);
            if (row.Value.Staff is { } staff)
            {
                var (spk, srk) = StorageKeys.StaffToken(row.Value.AccountId, staff, hash);
                await table.DeleteEntityAsync(spk, srk, cancellationToken: cancellationToken);
            }
        }

        return true;
    }

    /// <summary>
    /// Revokes every token of one staff member of the account (their removal): one range query over the per-staff rows,
    /// then 4 deletes per token (token row first: from then on the token answers 401). Returns how many were revoked.
    /// </summary>
    public Task<int> RevokeStaffAsync(string accountId, string staff, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(staff);
        return RevokeListedAsync(accountId, StorageKeys.StaffToken(accountId, staff, "").Pk, cancellationToken);
    }

    /// <summary>
    /// Revokes every token of the account (account deletion): one range query over its per-account rows, then 3 deletes per
    /// token (token row first, so a crash leaves at most a pointer that the next run removes). Returns how many were revoked.
    /// </summary>
    public Task<int> RevokeAllAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return RevokeListedAsync(accountId, StorageKeys.AccountToken(accountId, "").Pk, cancellationToken);
    }

    /// <summary>Revokes the tokens listed in <paramref name="partition"/> (per-account or per-staff rows: row key = token hash) and removes their rows.</summary>
    private async Task<int> RevokeListedAsync(string accountId, string partition, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var accounts = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var accountPartition = StorageKeys.AccountToken(accountId, "").Pk;
        var hashes = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            hashes.Add(row.RowKey);
        }

        foreach (var hash in hashes)
        {
            // The token row is beside the account or, issued before tokens named their account, in the oauth table:
            // both deletes are made (a missing row answers 404, nothing else).
            var (apk, ark) = StorageKeys.AccountAccessToken(accountId, hash);
            await accounts.DeleteEntityAsync(apk, ark, Azure.ETag.All, cancellationToken);
            var (pk, rk) = StorageKeys.AccessToken(hash);
            await table.DeleteEntityAsync(pk, rk, Azure.ETag.All, cancellationToken);
            await table.DeleteEntityAsync(accountPartition, hash, Azure.ETag.All, cancellationToken);
            if (partition != accountPartition)
            {
                await table.DeleteEntityAsync(partition, hash, Azure.ETag.All, cancellationToken);
            }
        }

        return hashes.Count;
    }

    internal static string Hash(string token) => OAuthSecrets.Hash(token);

    /// <summary>
    /// When each account's current tokens were issued: one range query over the per-account token rows (projected to 2
    /// columns; revoked tokens are gone). The account id comes from the partition (<see cref="StorageKeys.AccountToken"/>).
    /// </summary>
    public async Task<IReadOnlyList<(string AccountId, DateTimeOffset IssuedAt)>> ListIssuedAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (from, to) = StorageKeys.AccountTokenPartitions;
        var rows = new List<(string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey ge '{from}' and PartitionKey lt '{to}'", select: ["PartitionKey", "CreatedAt"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("CreatedAt") is { } issued)
            {
                rows.Add((row.PartitionKey[from.Length..], issued));
            }
        }

        return rows;
    }
}
