using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.OAuth;

/// <summary>The JSON answers of the token and revocation endpoints: never cached (RFC 6749 §5.1), readable cross-origin.</summary>
public static class TokenResponses
{
    /// <summary>RFC 6749 §5.2 error response.</summary>
    public static WireResult Error(int status, string error, string description) =>
        NoStore(WireResult.Json(status, new JsonObject { ["error"] = error, ["error_description"] = description }));

    public static WireResult InvalidClient() =>
        Error(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed")
            .WithHeader("WWW-Authenticate", "Basic realm=\"oauth\"");

    public static WireResult NoStore(WireResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.WithCors().WithHeader("Cache-Control", "no-store").WithHeader("Pragma", "no-cache");
    }
}
