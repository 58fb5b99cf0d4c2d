using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Filters: <c>/api/v2/filters</c>, their keywords and statuses, and the read-only v1 view.</summary>
public sealed class FilterFunctions(FiltersApiHandler filters)
{
    [Function("FiltersV2List")]
    public async Task<IActionResult> FiltersV2List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await filters.ListAsync(req, cancellationToken);

    [Function("FiltersV2Create")]
    public async Task<IActionResult> FiltersV2Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v2/filters")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await filters.CreateAsync(req, cancellationToken);

    [Function("FiltersV2Get")]
    public async Task<IActionResult> FiltersV2Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetAsync(req, id, cancellationToken);

    [Function("FiltersV2Update")]
    public async Task<IActionResult> FiltersV2Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v2/filters/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.UpdateAsync(req, id, cancellationToken);

    [Function("FiltersV2Delete")]
    public async Task<IActionResult> FiltersV2Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v2/filters/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.DeleteAsync(req, id, cancellationToken);

    [Function("FiltersV2Keywords")]
    public async Task<IActionResult> FiltersV2Keywords(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters/{id:regex(^\\d+$)}/keywords")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.ListKeywordsAsync(req, id, cancellationToken);

    [Function("FiltersV2KeywordsAdd")]
    public async Task<IActionResult> FiltersV2KeywordsAdd(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v2/filters/{id:regex(^\\d+$)}/keywords")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.AddKeywordAsync(req, id, cancellationToken);

    [Function("FiltersV2Statuses")]
    public async Task<IActionResult> FiltersV2Statuses(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters/{id:regex(^\\d+$)}/statuses")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.ListStatusesAsync(req, id, cancellationToken);

    [Function("FiltersV2StatusesAdd")]
    public async Task<IActionResult> FiltersV2StatusesAdd(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v2/filters/{id:regex(^\\d+$)}/statuses")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.AddStatusAsync(req, id, cancellationToken);

    [Function("FilterKeywordsGet")]
    public async Task<IActionResult> FilterKeywordsGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filter_keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetKeywordAsync(req, id, cancellationToken);

    [Function("FilterKeywordsUpdate")]
    public async Task<IActionResult> FilterKeywordsUpdate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v2/filter_keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.UpdateKeywordAsync(req, id, cancellationToken);

    [Function("FilterKeywordsDelete")]
    public async Task<IActionResult> FilterKeywordsDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v2/filter_keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.DeleteKeywordAsync(req, id, cancellationToken);

    [Function("FilterStatusesGet")]
    public async Task<IActionResult> FilterStatusesGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filter_statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetStatusAsync(req, id, cancellationToken);

    [Function("FilterStatusesDelete")]
    public async Task<IActionResult> FilterStatusesDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v2/filter_statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.DeleteStatusAsync(req, id, cancellationToken);

    // Mastodon's paths of keywords and statuses (docs: methods/filters); the filter_keywords/filter_statuses paths above stay for older callers.
    [Function("FiltersV2KeywordGet")]
    public async Task<IActionResult> FiltersV2KeywordGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters/keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetKeywordAsync(req, id, cancellationToken);

    [Function("FiltersV2KeywordUpdate")]
    public async Task<IActionResult> FiltersV2KeywordUpdate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v2/filters/keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.UpdateKeywordAsync(req, id, cancellationToken);

    [Function("FiltersV2KeywordDelete")]
    public async Task<IActionResult> FiltersV2KeywordDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v2/filters/keywords/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.DeleteKeywordAsync(req, id, cancellationToken);

    [Function("FiltersV2StatusGet")]
    public async Task<IActionResult> FiltersV2StatusGet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/filters/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetStatusAsync(req, id, cancellationToken);

    [Function("FiltersV2StatusDelete")]
    public async Task<IActionResult> FiltersV2StatusDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v2/filters/statuses/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.DeleteStatusAsync(req, id, cancellationToken);

    [Function("FiltersV1List")]
    public async Task<IActionResult> FiltersV1List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/filters")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await filters.ListV1Async(req, cancellationToken);

    [Function("FiltersV1Get")]
    public async Task<IActionResult> FiltersV1Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/filters/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await filters.GetV1Async(req, id, cancellationToken);
}
