using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Notification filtering policy and requests (docs: methods/notifications), answered for a server that filters nothing.</summary>
public sealed class NotificationPolicyFunctions(NotificationPolicyApiHandler api)
{
    [Function("NotificationPolicyGet")]
    public async Task<IActionResult> PolicyGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/notifications/policy")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.GetPolicyAsync(req, cancellationToken);

    [Function("NotificationPolicyUpdate")]
    public async Task<IActionResult> PolicyUpdate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/v2/notifications/policy")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.UpdatePolicyAsync(req, cancellationToken);

    [Function("NotificationRequestsList")]
    public async Task<IActionResult> RequestsList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/requests")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.ListRequestsAsync(req, cancellationToken);

    [Function("NotificationRequestsMerged")]
    public async Task<IActionResult> RequestsMerged(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/requests/merged")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.MergedAsync(req, cancellationToken);

    [Function("NotificationRequestsGet")]
    public async Task<IActionResult> RequestsGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/requests/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.RequestAsync(req, writes: false, cancellationToken);

    [Function("NotificationRequestsAnswer")]
    public async Task<IActionResult> RequestsAnswer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/notifications/requests/{id:regex(^\\d+$)}/{action:regex(^(accept|dismiss)$)}")] HttpRequest req,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        await api.RequestAsync(req, writes: true, cancellationToken);

    [Function("NotificationRequestsAnswerMany")]
    public async Task<IActionResult> RequestsAnswerMany(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/notifications/requests/{action:regex(^(accept|dismiss)$)}")] HttpRequest req,
        string action,
        CancellationToken cancellationToken) =>
        await api.AnswerRequestsAsync(req, cancellationToken);
}
