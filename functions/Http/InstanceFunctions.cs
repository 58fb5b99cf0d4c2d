using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>The instance documents apps read before anything else.</summary>
public sealed class InstanceFunctions(InstanceApiHandler instance)
{
    [Function("InstanceV1")]
    public async Task<IActionResult> V1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await instance.V1Async(req, cancellationToken);

    [Function("InstanceV2")]
    public async Task<IActionResult> V2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/instance")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await instance.V2Async(req, cancellationToken);
}
