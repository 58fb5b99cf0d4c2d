using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Http;
using ServerlessFedi.Web;

namespace ServerlessFedi.Functions.Http;

/// <summary>Public HTML pages and the health probe.</summary>
public sealed class WebFunctions(WebPages pages)
{
    [Function("ProfilePage")]
    public async Task<IActionResult> ProfilePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await pages.ProfileAsync(username, cancellationToken);

    [Function("StatusPage")]
    public async Task<IActionResult> StatusPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}/{id}")] HttpRequest req,
        string username,
        string id,
        CancellationToken cancellationToken) =>
        await pages.StatusAsync(username, id, cancellationToken);

    /// <summary>Liveness for load balancers: answers without touching storage, so a storage outage does not recycle instances.</summary>
    [Function("Health")]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        WireResult.Text(StatusCodes.Status200OK, "OK").WithHeader("Cache-Control", "no-store");
}
