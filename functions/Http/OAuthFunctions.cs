using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Functions.Http;

/// <summary>OAuth 2: application registration, the authorization form, tokens, revocation and metadata.</summary>
public sealed class OAuthFunctions(AppsApiHandler apps, AuthorizeHandler authorize, TokenHandler token, RevokeHandler revoke, AuthorizationServerMetadata metadata)
{
    [Function("OAuthAppsCreate")]
    public async Task<IActionResult> AppsCreate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/apps")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await apps.CreateAsync(req, cancellationToken);

    [Function("OAuthAppsVerifyCredentials")]
    public async Task<IActionResult> AppsVerifyCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/apps/verify_credentials")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await apps.VerifyCredentialsAsync(req, cancellationToken);

    [Function("OAuthAuthorizeForm")]
    public async Task<IActionResult> AuthorizeForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "oauth/authorize")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await authorize.AuthorizeFormAsync(req, cancellationToken);

    [Function("OAuthAuthorize")]
    public async Task<IActionResult> Authorize(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "oauth/authorize")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await authorize.AuthorizeAsync(req, cancellationToken);

    [Function("OAuthToken")]
    public async Task<IActionResult> Token(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "oauth/token")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await token.TokenAsync(req, cancellationToken);

    [Function("OAuthRevoke")]
    public async Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "oauth/revoke")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await revoke.RevokeAsync(req, cancellationToken);

    [Function("OAuthMetadata")]
    public IActionResult Metadata(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/oauth-authorization-server")] HttpRequest req) =>
        metadata.Get();
}
