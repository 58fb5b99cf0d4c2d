using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.OAuth;

/// <summary>GET /.well-known/oauth-authorization-server (RFC 8414), as Mastodon 4.3+ publishes it.</summary>
public sealed class AuthorizationServerMetadata(InstanceUrls urls)
{
    public WireResult Get() =>
        WireResult.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["issuer"] = urls.Base + "/",
            ["service_documentation"] = "https://docs.joinmastodon.org/",
            ["authorization_endpoint"] = urls.Base + "/oauth/authorize",
            ["token_endpoint"] = urls.Base + "/oauth/token",
            ["revocation_endpoint"] = urls.Base + "/oauth/revoke",
            ["app_registration_endpoint"] = urls.Base + "/api/v1/apps",
            ["scopes_supported"] = new JsonArray(Scopes.Known.Order(StringComparer.Ordinal).Select(s => (JsonNode?)s).ToArray()),
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "client_credentials"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post"),
            ["code_challenge_methods_supported"] = new JsonArray("S256", "plain"),
        }).WithCors().WithHeader("Cache-Control", "max-age=3600, public");
}
