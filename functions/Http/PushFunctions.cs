using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Web Push subscriptions (docs: methods/push).</summary>
public sealed class PushFunctions(PushSubscriptionApiHandler api)
{
    [Function("PushSubscriptionCreate")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/push/subscription")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.CreateAsync(req, cancellationToken);

    [Function("PushSubscriptionGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/push/subscription")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, cancellationToken);

    [Function("PushSubscriptionUpdate")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/push/subscription")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.UpdateAsync(req, cancellationToken);

    [Function("PushSubscriptionDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/push/subscription")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.DeleteAsync(req, cancellationToken);
}
