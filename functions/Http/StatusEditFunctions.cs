using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Status edits: <c>PUT /api/v1/statuses/:id</c>, its <c>/history</c> and <c>/source</c>.</summary>
public sealed class StatusEditFunctions(StatusEditHandler edits)
{
    [Function("StatusesUpdate")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await edits.UpdateAsync(req, id, cancellationToken);

    [Function("StatusesHistory")]
    public async Task<IActionResult> History(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/history")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await edits.HistoryAsync(req, id, cancellationToken);

    [Function("StatusesSource")]
    public async Task<IActionResult> Source(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/source")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await edits.SourceAsync(req, id, cancellationToken);
}
