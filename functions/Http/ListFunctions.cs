using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Lists: <c>/api/v1/lists</c> and their members (the list timeline lives with the timelines).</summary>
public sealed class ListFunctions(ListsApiHandler lists)
{
    [Function("ListsList")]
    public async Task<IActionResult> ListsList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/lists")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await lists.ListAsync(req, cancellationToken);

    [Function("ListsCreate")]
    public async Task<IActionResult> ListsCreate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/lists")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await lists.CreateAsync(req, cancellationToken);

    [Function("ListsGet")]
    public async Task<IActionResult> ListsGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/lists/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.GetAsync(req, id, cancellationToken);

    [Function("ListsUpdate")]
    public async Task<IActionResult> ListsUpdate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/lists/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.UpdateAsync(req, id, cancellationToken);

    [Function("ListsDelete")]
    public async Task<IActionResult> ListsDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/lists/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.DeleteAsync(req, id, cancellationToken);

    [Function("ListsAccounts")]
    public async Task<IActionResult> ListsAccounts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/lists/{id:regex(^\\d+$)}/accounts")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.MembersAsync(req, id, cancellationToken);

    [Function("ListsAccountsAdd")]
    public async Task<IActionResult> ListsAccountsAdd(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/lists/{id:regex(^\\d+$)}/accounts")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.AddMembersAsync(req, id, cancellationToken);

    [Function("ListsAccountsRemove")]
    public async Task<IActionResult> ListsAccountsRemove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/lists/{id:regex(^\\d+$)}/accounts")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.RemoveMembersAsync(req, id, cancellationToken);
}
