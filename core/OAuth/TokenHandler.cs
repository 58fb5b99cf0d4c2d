using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.Team;

namespace ServerlessFedi.OAuth;

/// <summary>POST /oauth/token (docs: methods/oauth#token; RFC 6749 §4.1.3, §4.4; RFC 7636 §4.5): codes and client credentials for tokens.</summary>
public sealed class TokenHandler(ClientAuthentication clients, AuthorizationCodeStore codes, AccessTokenStore tokens, StaffStore staffMembers, TimeProvider time)
{
    /// <summary>authorization_code with PKCE, and client_credentials.</summary>
    public async Task<WireResult> TokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (p, readFailure) = await ClientAuthentication.ReadBodyAsync(request, cancellationToken);
        if (p is null)
        {
            return readFailure!;
        }

        var grantType = p.Get("grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "grant_type is missing");
        }

        if (grantType is not ("authorization_code" or "client_credentials"))
        {
            return TokenResponses.Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Supported grant types: authorization_code, client_credentials");
        }

        var (application, clientFailure) = await clients.AuthenticateAsync(request, p, cancellationToken);
        if (clientFailure is not null)
        {
            return clientFailure;
        }

        var app = application!;
        IReadOnlyList<string> scopes;
        string accountId;
        string? staff = null;
        if (grantType == "client_credentials")
        {
            var (requested, unknown) = Scopes.Parse(p.Get("scope"));
            if (unknown is not null || !requested.All(s => Scopes.Allows(app.Scopes, s)))
            {
                return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_scope", "The requested scope is invalid, unknown or beyond the application's scopes");
            }

            scopes = requested;
            accountId = "";
        }
        else
        {
            var codeValue = p.Get("code");
            var redirectUri = p.Get("redirect_uri");
            if (string.IsNullOrEmpty(codeValue) || string.IsNullOrEmpty(redirectUri))
            {
                return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "code and redirect_uri are required");
            }

            // Redeeming consumes the code whatever follows: a code gets one exchange attempt (RFC 6749 §4.1.2).
            var grant = await codes.RedeemAsync(codeValue, cancellationToken);
            if (grant is null || grant.ClientId != app.ClientId)
            {
                return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code is invalid, expired or already used");
            }

            if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
            {
                return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri does not match the authorization request");
            }

            if (Pkce.Check(grant, p.Get("code_verifier")) is { } pkceError)
            {
                return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_grant", pkceError);
            }

            scopes = grant.Scopes;
            if (p.Get("scope") is { Length: > 0 } scopeText)
            {
                var (requested, unknown) = Scopes.Parse(scopeText);
                if (unknown is not null || !requested.All(s => Scopes.Allows(grant.Scopes, s)))
                {
                    return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_scope", "The requested scope is beyond the granted scope");
                }

                scopes = requested;
            }

            accountId = grant.AccountId;
            staff = grant.Staff;
        }

        var now = time.GetUtcNow();
        var token = await tokens.IssueAsync(accountId, scopes, app.ClientId, app.Name, staff, cancellationToken);

        // Checked after the token and its per-staff row exist: a removal either came first and is seen here, or comes
        // later and finds the token to revoke (TeamService.RemoveAsync deletes the staff row before revoking).
        if (staff is not null && await staffMembers.GetAsync(accountId, staff, cancellationToken) is null)
        {
            await tokens.RevokeAsync(token, cancellationToken);
            return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code is invalid, expired or already used");
        }

        return TokenResponses.NoStore(WireResult.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', scopes),
            ["created_at"] = now.ToUnixTimeSeconds(),
        }));
    }
}
