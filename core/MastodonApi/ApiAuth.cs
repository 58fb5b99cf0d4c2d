using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Bearer-token authentication and scope checks for the client API: 401 without a valid token, 403 when the token's
/// scopes do not cover the endpoint (docs: api/oauth-scopes). Storage: 1 point read (token) + 1 (account).
/// </summary>
public sealed class ApiAuth(AccessTokenStore tokens, AccountStore accounts)
{
    public async Task<(LocalAccount? Account, AccessToken? Token, WireResult? Failure)> AuthenticateAsync(HttpRequest request, string requiredScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, Unauthorized());
        }

        var token = await tokens.FindAsync(header[7..].Trim(), cancellationToken);
        if (token is null || token.IsApplicationOnly)
        {
            // An application-only token (client_credentials) never acts for an account.
            return (null, null, Unauthorized());
        }

        if (!Scopes.Allows(token.Scopes, requiredScope))
        {
            return (null, null, WireResult.Error(StatusCodes.Status403Forbidden, "This action is outside the authorized scopes").WithCors());
        }

        var account = await accounts.GetByIdAsync(token.AccountId, cancellationToken);
        return account is null ? (null, null, Unauthorized()) : (account, token, null);
    }

    private static WireResult Unauthorized() =>
        WireResult.Error(StatusCodes.Status401Unauthorized, "The access token is invalid")
            .WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
            .WithCors();
}
