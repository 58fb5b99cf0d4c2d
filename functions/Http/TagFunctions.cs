using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Hashtags and followed hashtags.</summary>
public sealed class TagFunctions(TagsApiHandler tags)
{
    [Function("TagsGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/tags/{name}")] HttpRequest req,
        string name,
        CancellationToken cancellationToken) =>
        await tags.ShowAsync(req, name, cancellationToken);

    [Function("TagsFollow")]
    public async Task<IActionResult> Follow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/tags/{name}/{action:regex(^(follow|unfollow)$)}")] HttpRequest req,
        string name,
        string action,
        CancellationToken cancellationToken) =>
        await tags.FollowAsync(req, name, action == "follow", cancellationToken);

    [Function("FollowedTagsList")]
    public async Task<IActionResult> Followed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/followed_tags")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await tags.FollowedAsync(req, cancellationToken);
}
