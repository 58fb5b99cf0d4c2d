using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Statuses: the Mastodon client API and the ActivityPub objects.</summary>
public sealed class StatusFunctions(StatusApiHandler api, StatusObjectHandler objects)
{
    [Function("StatusesCreate")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/statuses")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.CreateAsync(req, cancellationToken);

    [Function("StatusesGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, id, cancellationToken);

    [Function("StatusesDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.DeleteAsync(req, id, cancellationToken);

    [Function("AccountsVerifyCredentials")]
    public async Task<IActionResult> VerifyCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/verify_credentials")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.VerifyCredentialsAsync(req, cancellationToken);

    [Function("StatusObject")]
    public async Task<IActionResult> Note(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string username,
        string id,
        CancellationToken cancellationToken) =>
        await objects.GetAsync(req, username, id, activity: false, cancellationToken);

    [Function("StatusObjectActivity")]
    public async Task<IActionResult> Activity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/statuses/{id:regex(^\\d+$)}/activity")] HttpRequest req,
        string username,
        string id,
        CancellationToken cancellationToken) =>
        await objects.GetAsync(req, username, id, activity: true, cancellationToken);
}
