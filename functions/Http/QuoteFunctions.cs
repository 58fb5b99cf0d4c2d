using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Quote posts (FEP-044f, Mastodon 4.5): the quotes API and the quote authorizations.</summary>
public sealed class QuoteFunctions(QuotesApiHandler api, QuoteAuthorizationHandler authorizations)
{
    [Function("StatusesQuotes")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/quotes")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.ListAsync(req, id, cancellationToken);

    [Function("StatusesQuotesRevoke")]
    public async Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/statuses/{id:regex(^\\d+$)}/quotes/{quoteId:regex(^\\d+$)}/revoke")] HttpRequest req,
        string id,
        string quoteId,
        CancellationToken cancellationToken) =>
        await api.RevokeAsync(req, id, quoteId, cancellationToken);

    [Function("StatusesInteractionPolicy")]
    public async Task<IActionResult> InteractionPolicy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/statuses/{id:regex(^\\d+$)}/interaction_policy")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.UpdatePolicyAsync(req, id, cancellationToken);

    [Function("StatusQuoteAuthorization")]
    public async Task<IActionResult> Authorization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{username}/statuses/{id:regex(^\\d+$)}/quote_authorizations/{authorizationId:regex(^[0-9a-f]+$)}")] HttpRequest req,
        string username,
        string id,
        string authorizationId,
        CancellationToken cancellationToken) =>
        await authorizations.GetAsync(username, id, authorizationId, cancellationToken);
}
