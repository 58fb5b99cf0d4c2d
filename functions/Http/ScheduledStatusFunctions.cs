using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Scheduled statuses (docs: methods/scheduled_statuses).</summary>
public sealed class ScheduledStatusFunctions(ScheduledStatusApiHandler api)
{
    [Function("ScheduledStatusesList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/scheduled_statuses")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.ListAsync(req, cancellationToken);

    [Function("ScheduledStatusesGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/scheduled_statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, id, cancellationToken);

    [Function("ScheduledStatusesUpdate")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/scheduled_statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.UpdateAsync(req, id, cancellationToken);

    [Function("ScheduledStatusesDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/scheduled_statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.DeleteAsync(req, id, cancellationToken);
}
