using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.ActivityPub;

namespace ServerlessFedi.Functions.Http;

/// <summary>ActivityPub actor documents of local accounts and of the instance actor.</summary>
public sealed class ActorFunctions(ActorHandler actors)
{
    [Function("ActorGet")]
    public async Task<IActionResult> ActorGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await actors.GetAccountActorAsync(req, username, cancellationToken);

    [Function("InstanceActorGet")]
    public async Task<IActionResult> InstanceActorGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "actor")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await actors.GetInstanceActorAsync(req, cancellationToken);
}
