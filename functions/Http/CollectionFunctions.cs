using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.ActivityPub;

namespace ServerlessFedi.Functions.Http;

/// <summary>An actor's collections: followers, following, outbox, featured.</summary>
public sealed class CollectionFunctions(CollectionHandler collections)
{
    [Function("ActorFollowers")]
    public async Task<IActionResult> Followers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/followers")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await collections.FollowersAsync(req, username, cancellationToken);

    [Function("ActorFollowing")]
    public async Task<IActionResult> Following(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/following")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await collections.FollowingAsync(req, username, cancellationToken);

    [Function("ActorOutbox")]
    public async Task<IActionResult> Outbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/outbox")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await collections.OutboxAsync(req, username, cancellationToken);

    [Function("ActorFeatured")]
    public async Task<IActionResult> Featured(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/collections/featured")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await collections.FeaturedAsync(username, cancellationToken);

    [Function("ActorFeaturedTags")]
    public async Task<IActionResult> FeaturedTags(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/collections/tags")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await collections.FeaturedTagsAsync(username, cancellationToken);
}
