using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Direct conversations.</summary>
public sealed class ConversationFunctions(ConversationsApiHandler conversations)
{
    [Function("ConversationsList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/conversations")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await conversations.ListAsync(req, cancellationToken);

    [Function("ConversationsRead")]
    public async Task<IActionResult> Read(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/conversations/{id:regex(^\\d+$)}/read")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await conversations.ReadAsync(req, id, cancellationToken);

    [Function("ConversationsRemove")]
    public async Task<IActionResult> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/conversations/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await conversations.RemoveAsync(req, id, cancellationToken);
}
