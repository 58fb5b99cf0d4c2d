using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Http;

namespace ServerlessFedi.Functions.Http;

/// <summary>
/// The edges of the client API: CORS preflight for browser apps (Elk, Phanpy), and a JSON 404 for any unknown
/// <c>/api</c> path so apps never receive HTML or an empty body. The 404 function's name sorts last on purpose: routes
/// are tried in function-name order and its catch-all template must lose to every real endpoint.
/// </summary>
public sealed class ApiEdgeFunctions
{
    [Function("ApiPreflight")]
    public IActionResult Preflight(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "{area:regex(^(api|oauth)$)}/{*rest}")] HttpRequest req,
        string area,
        string? rest) =>
        WireResult.Empty(StatusCodes.Status204NoContent)
            .WithCors()
            .WithHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
            .WithHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Accept")
            .WithHeader("Access-Control-Expose-Headers", "Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
            .WithHeader("Access-Control-Max-Age", "86400");

    [Function("ZzApiNotFound")]
    public IActionResult NotFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "api/{*rest}")] HttpRequest req,
        string? rest) =>
        WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
}
