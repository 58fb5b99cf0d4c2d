using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.OAuth;

/// <summary>POST /oauth/revoke (docs: methods/oauth#revoke; RFC 7009).</summary>
public sealed class RevokeHandler(ClientAuthentication clients, AccessTokenStore tokens, ServerlessFedi.Push.PushSubscriptionStore pushSubscriptions)
{
    /// <summary>Revokes a token of the authenticated client; 200 <c>{}</c> for unknown tokens and other clients' tokens alike.</summary>
    public async Task<WireResult> RevokeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (p, readFailure) = await ClientAuthentication.ReadBodyAsync(request, cancellationToken);
        if (p is null)
        {
            return readFailure!;
        }

        var (application, clientFailure) = await clients.AuthenticateAsync(request, p, cancellationToken);
        if (clientFailure is not null)
        {
            return clientFailure;
        }

        var tokenValue = p.Get("token");
        if (string.IsNullOrEmpty(tokenValue))
        {
            return TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "token is required");
        }

        var token = await tokens.FindAsync(tokenValue, cancellationToken);
        if (token is not null && token.ApplicationId == application!.ClientId)
        {
            await tokens.RevokeAsync(tokenValue, cancellationToken);
            await pushSubscriptions.DeleteAsync(token.AccountId, OAuthSecrets.Hash(tokenValue), cancellationToken); // the token's push subscription goes with it
        }

        return TokenResponses.NoStore(WireResult.Json(StatusCodes.Status200OK, new JsonObject()));
    }
}
