using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Access tokens: 256 random bits, base64url, shown once; stored as the SHA-256 of the token (a slow hash adds
/// nothing for a secret of full entropy). Storage transactions: issue 2 writes (token row, per-account row; a staff
/// member's token 3, with the per-staff row); lookup 1 point read.
/// </summary>
public sealed class AccessTokenStore(FediTables tables, TimeProvider time)
{
    /// <summary>
    /// Issues a token; an empty <paramref name="accountId"/> makes an application-only token (client_credentials); a
    /// <paramref name="staff"/> name makes the token a staff member's, listed for <see cref="RevokeStaffAsync"/>.
    /// </summary>
    public async Task<string> IssueAsync(string accountId, IReadOnlyList<string> scopes, string? applicationId = null, string? description = null, string? staff = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var token = OAuthSecrets.NewToken();
        var hash = Hash(token);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.AccessToken(hash);
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

        await table.AddEntityAsync(entity, cancellationToken);
        return token;
    }

    /// <summary>The token's grant, or null when unknown, revoked or expired.</summary>
    public async Task<AccessToken?> FindAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.AccessToken(Hash(token));
        var row = await table.GetEntityIfExistsAsync<AccessTokenEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        if (e.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return null;
        }

        return new AccessToken(e.AccountId, e.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), e.ApplicationId, e.CreatedAt, e.ExpiresAt, e.Description, e.Staff);
    }

    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var hash = Hash(token);
        var (pk, rk) = StorageKeys.AccessToken(hash);
        var row = await table.GetEntityIfExistsAsync<AccessTokenEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        await table.DeleteEntityAsync(pk, rk, cancellationToken: cancellationToken);
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
    /// then 3 deletes per token (token row first: from then on the token answers 401). Returns how many were revoked.
    /// </summary>
    public Task<int> RevokeStaffAsync(string accountId, string staff, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(staff);
        return RevokeListedAsync(accountId, StorageKeys.StaffToken(accountId, staff, "").Pk, cancellationToken);
    }

    /// <summary>
    /// Revokes every token of the account (account deletion): one range query over its per-account rows, then 2 deletes per
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
        var accountPartition = StorageKeys.AccountToken(accountId, "").Pk;
        var hashes = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            hashes.Add(row.RowKey);
        }

        foreach (var hash in hashes)
        {
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
