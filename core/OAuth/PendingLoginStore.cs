using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Tickets between the password and the second factor of a login (no login session exists): 256 random bits in the
/// second form, stored as SHA-256, valid for <see cref="Lifetime"/>, bound to the CSRF token and the authorization
/// request, completed once. Storage transactions: issue 1 insert; find 1 point read; complete 1 delete conditional on the
/// read's ETag. Expired tickets stay until removed by hand, like unexchanged codes; they open nothing.
/// </summary>
public sealed class PendingLoginStore(FediTables tables, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>What a ticket is bound to: the browser's CSRF token and every parameter of the authorization request.</summary>
    public static string Binding(AuthorizationRequest request, string csrfToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StorageKeys.Sha256Hex(string.Join('\n',
            csrfToken, request.Application.ClientId, request.RedirectUri, string.Join(' ', request.Scopes), request.State ?? "", request.CodeChallenge ?? "", request.CodeChallengeMethod ?? ""));
    }

    public async Task<string> IssueAsync(string accountId, string binding, string? staff = null, CancellationToken cancellationToken = default)
    {
        var ticket = OAuthSecrets.NewToken();
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PendingLogin(OAuthSecrets.Hash(ticket));
        await table.AddEntityAsync(new TableEntity(pk, rk)
        {
            ["AccountId"] = accountId,
            ["Binding"] = binding,
            ["Staff"] = staff,
            ["ExpiresAt"] = time.GetUtcNow() + Lifetime,
        }, cancellationToken);
        return ticket;
    }

    /// <summary>The pending login of a ticket; null when the ticket is malformed, unknown, completed or expired.</summary>
    public async Task<PendingLogin?> FindAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        if (!OAuthSecrets.LooksLikeToken(ticket))
        {
            return null;
        }

        var hash = OAuthSecrets.Hash(ticket!);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PendingLogin(hash);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        var login = new PendingLogin(hash, e.GetString("AccountId") ?? "", e.GetString("Binding") ?? "", e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue, e.ETag.ToString(), e.GetString("Staff"));
        return login.ExpiresAt <= time.GetUtcNow() ? null : login;
    }

    /// <summary>Ends the pending login; false when a concurrent request completed it first.</summary>
    public async Task<bool> CompleteAsync(PendingLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.PendingLogin(login.TicketHash);
        try
        {
            // The SDK answers a 404 on delete as a response, not an exception.
            var deleted = await table.DeleteEntityAsync(pk, rk, new ETag(login.ETag), cancellationToken);
            return deleted.Status != (int)HttpStatusCode.NotFound;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
