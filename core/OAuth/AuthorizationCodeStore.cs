using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Single-use authorization codes, valid for <see cref="Lifetime"/>. Storage transactions: issue 1 insert; redeem 1 point
/// read + 1 delete conditional on the read's ETag, so of two concurrent exchanges only one gets the grant.
/// </summary>
public sealed class AuthorizationCodeStore(FediTables tables, TimeProvider time)
{
    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<string> IssueAsync(string clientId, string redirectUri, IReadOnlyList<string> scopes, string accountId, string? codeChallenge, string? codeChallengeMethod, string? staff = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var code = OAuthSecrets.NewToken();
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.AuthorizationCode(OAuthSecrets.Hash(code));
        await table.AddEntityAsync(new TableEntity(pk, rk)
        {
            ["ClientId"] = clientId,
            ["RedirectUri"] = redirectUri,
            ["Scopes"] = string.Join(' ', scopes),
            ["AccountId"] = accountId,
            ["CodeChallenge"] = codeChallenge,
            ["CodeChallengeMethod"] = codeChallengeMethod,
            ["Staff"] = staff,
            ["ExpiresAt"] = time.GetUtcNow() + Lifetime,
        }, cancellationToken);
        return code;
    }

    /// <summary>
    /// Consumes the code: the grant when this call removed it and it had not expired; null when unknown, already used,
    /// taken by a concurrent exchange, or expired (an expired code is removed as well).
    /// </summary>
    public async Task<AuthorizationCode?> RedeemAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (!OAuthSecrets.LooksLikeToken(code))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.AuthorizationCode(OAuthSecrets.Hash(code!));
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        try
        {
            // The SDK answers a 404 on delete as a response, not an exception: a concurrent exchange removed it first.
            var deleted = await table.DeleteEntityAsync(pk, rk, e.ETag, cancellationToken);
            if (deleted.Status == (int)HttpStatusCode.NotFound)
            {
                return null;
            }
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            // A concurrent exchange consumed it first.
            return null;
        }

        var grant = new AuthorizationCode(
            e.GetString("ClientId") ?? "",
            e.GetString("RedirectUri") ?? "",
            (e.GetString("Scopes") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            e.GetString("AccountId") ?? "",
            e.GetString("CodeChallenge"),
            e.GetString("CodeChallengeMethod"),
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
            e.GetString("Staff"));
        return grant.ExpiresAt <= time.GetUtcNow() ? null : grant;
    }
}
