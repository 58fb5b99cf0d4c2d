using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Functions.Http;

/// <summary>ActivityPub inboxes: a local account's own and the shared one (ActivityPub §7, §7.1.3).</summary>
public sealed class InboxFunctions(InboxReceiver receiver)
{
    [Function("Inbox")]
    public async Task<IActionResult> Inbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "users/{username}/inbox")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await receiver.ReceiveAsync(req, username, cancellationToken);

    [Function("SharedInbox")]
    public async Task<IActionResult> SharedInbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "inbox")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await receiver.ReceiveAsync(req, null, cancellationToken);
}
