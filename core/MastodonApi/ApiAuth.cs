using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Bearer-token authentication and scope checks for the client API: 401 without a valid token, 403 when the token's
/// scopes do not cover the endpoint (docs: api/oauth-scopes). Storage: 1 range query for a token that names its account
/// (token and account row together, <see cref="AccessTokenStore.FindWithAccountAsync"/>); for an older token 1 point
/// read (token) + 1 (account; for a read scope none when this process read it less than <see cref="AccountStore.RecentLifetime"/> ago).
/// Every call is rate limited (<see cref="ApiRateLimiter"/>): by account once the token is known, by client address
/// when there is no valid token; the <c>X-RateLimit-*</c> headers go on whatever the endpoint answers. Handlers call it
/// through <see cref="ApiEndpoint"/>; its refusals carry CORS themselves only for <see cref="StatusActionsHandler"/>,
/// which still calls it directly.
/// </summary>
public sealed class ApiAuth(AccessTokenStore tokens, AccountStore accounts, ApiRateLimiter limiter)
{
    /// <summary>For endpoints that need no token: counts the request by client address; the 429 to answer, or null.</summary>
    public WireResult? ThrottleAnonymous(HttpRequest request) => limiter.HitAddress(request);

    /// <summary>
    /// For endpoints where a token is optional: the viewer when one is sent (a bad or insufficient token fails, as
    /// Mastodon answers), null for anonymous requests, which are rate limited by client address.
    /// </summary>
    public async Task<(LocalAccount? Viewer, WireResult? Failure)> AuthenticateOptionalAsync(HttpRequest request, string requiredScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization.Count == 0)
        {
            return (null, ThrottleAnonymous(request));
        }

        var (viewer, _, failure) = await AuthenticateAsync(request, requiredScope, cancellationToken);
        return (viewer, failure);
    }

    public async Task<(LocalAccount? Account, AccessToken? Token, WireResult? Failure)> AuthenticateAsync(HttpRequest request, string requiredScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (BearerOf(request) is not { } bearer)
        {
            return (null, null, limiter.HitAddress(request) ?? Unauthorized());
        }

        var lookup = await tokens.FindWithAccountAsync(bearer, cancellationToken);
        var token = lookup.Token;
        if (token is null || token.IsApplicationOnly)
        {
            // An application-only token (client_credentials) never acts for an account.
            return (null, null, limiter.HitAddress(request) ?? Unauthorized());
        }

        if (limiter.HitAccount(request, token.AccountId) is { } tooMany)
        {
            return (null, null, tooMany);
        }

        if (!Scopes.Allows(token.Scopes, requiredScope))
        {
            return (null, null, ApiResults.Error(Errors.ServiceError.Forbidden, "This action is outside the authorized scopes").WithCors());
        }

        // The token is read every time (a revocation bites at once everywhere). A token that names its account brought
        // the account row in the same query, fresh (it becomes the process's copy unless one is held). For an older token a read scope's
        // account may be the process's recent copy (AccountStore.RecentLifetime), a write reads the row fresh.
        LocalAccount? account;
        if (lookup.AccountRead)
        {
            account = lookup.Account;
            if (account is not null)
            {
                accounts.RememberRead(account);
            }

            account = account is { DeletedAt: null } && account.Id == token.AccountId ? account : null;
        }
        else
        {
            account = requiredScope.StartsWith("read", StringComparison.Ordinal)
                ? await accounts.GetByIdRecentAsync(token.AccountId, cancellationToken)
                : await accounts.GetByIdAsync(token.AccountId, cancellationToken);
        }

        return account is null ? (null, null, Unauthorized()) : (account, token, null);
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null when the request sends none.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static WireResult Unauthorized() => ApiResults.Unauthorized().WithCors();
}
