using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Featured hashtags and endorsements.</summary>
public sealed class FeaturedTagFunctions(FeaturedTagsApiHandler featured)
{
    [Function("FeaturedTagsList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/featured_tags")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await featured.ListAsync(req, cancellationToken);

    [Function("FeaturedTagsCreate")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/featured_tags")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await featured.CreateAsync(req, cancellationToken);

    [Function("FeaturedTagsDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/featured_tags/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await featured.DeleteAsync(req, id, cancellationToken);

    [Function("FeaturedTagsSuggestions")]
    public async Task<IActionResult> Suggestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/featured_tags/suggestions")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await featured.SuggestionsAsync(req, cancellationToken);

    [Function("AccountsFeaturedTags")]
    public async Task<IActionResult> ForAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/featured_tags")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await featured.ForAccountAsync(req, id, cancellationToken);

    [Function("Endorsements")]
    public async Task<IActionResult> Endorsements(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/endorsements")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await featured.EndorsementsAsync(req, cancellationToken);

    [Function("AccountsEndorsements")]
    public async Task<IActionResult> AccountEndorsements(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/{id:regex(^\\d+$)}/endorsements")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await featured.AccountEndorsementsAsync(req, id, cancellationToken);
}
