using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Accounts, relationships, follow requests, blocks and mutes of the Mastodon client API.</summary>
public sealed class AccountFunctions(AccountsApiHandler api, RelationshipsApiHandler relationships, ListsApiHandler lists, SearchApiHandler search, DomainBlocksApiHandler domainBlocks)
{
    [Function("AccountsLookup")]
    public async Task<IActionResult> Lookup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/lookup")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.LookupAsync(req, cancellationToken);

    [Function("AccountsSearch")]
    public async Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/search")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.SearchAsync(req, cancellationToken);

    [Function("AccountsRelationships")]
    public async Task<IActionResult> Relationships(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/relationships")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await relationships.RelationshipsAsync(req, cancellationToken);

    [Function("AccountsFamiliarFollowers")]
    public async Task<IActionResult> FamiliarFollowers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/familiar_followers")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await relationships.FamiliarFollowersAsync(req, cancellationToken);

    [Function("AccountsGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, id, cancellationToken);

    [Function("AccountsStatuses")]
    public async Task<IActionResult> Statuses(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/statuses")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.StatusesAsync(req, id, cancellationToken);

    [Function("AccountsFollowers")]
    public async Task<IActionResult> Followers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/followers")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.FollowersAsync(req, id, cancellationToken);

    [Function("AccountsFollowing")]
    public async Task<IActionResult> Following(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/following")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.FollowingAsync(req, id, cancellationToken);

    [Function("AccountsAction")]
    public async Task<IActionResult> Action(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/accounts/{id:regex(^\\d+$)}/{action:regex(^(follow|unfollow|block|unblock|mute|unmute|remove_from_followers)$)}")] HttpRequest req,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        await relationships.ActAsync(req, id, action, cancellationToken);

    [Function("AccountsNote")]
    public async Task<IActionResult> Note(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/accounts/{id:regex(^\\d+$)}/note")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await relationships.NoteAsync(req, id, cancellationToken);

    [Function("AccountsLists")]
    public async Task<IActionResult> Lists(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/lists")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await lists.ListsOfAccountAsync(req, id, cancellationToken);

    [Function("SearchV2")]
    public async Task<IActionResult> Search2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/search")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await search.SearchAsync(req, cancellationToken);

    [Function("DomainBlocksList")]
    public async Task<IActionResult> DomainBlocks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/domain_blocks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await domainBlocks.ListAsync(req, cancellationToken);

    [Function("DomainBlocksAdd")]
    public async Task<IActionResult> DomainBlock(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/domain_blocks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await domainBlocks.ChangeAsync(req, block: true, cancellationToken);

    [Function("DomainBlocksRemove")]
    public async Task<IActionResult> DomainUnblock(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/domain_blocks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await domainBlocks.ChangeAsync(req, block: false, cancellationToken);

    [Function("FollowRequestsList")]
    public async Task<IActionResult> FollowRequests(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/follow_requests")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await relationships.FollowRequestsAsync(req, cancellationToken);

    [Function("FollowRequestsAnswer")]
    public async Task<IActionResult> AnswerFollowRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/follow_requests/{id:regex(^\\d+$)}/{action:regex(^(authorize|reject)$)}")] HttpRequest req,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        await relationships.AnswerFollowRequestAsync(req, id, action == "authorize", cancellationToken);

    [Function("BlocksList")]
    public async Task<IActionResult> Blocks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/blocks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await relationships.RelationListAsync(req, RelationshipService.Block, cancellationToken);

    [Function("MutesList")]
    public async Task<IActionResult> Mutes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/mutes")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await relationships.RelationListAsync(req, RelationshipService.Mute, cancellationToken);
}
