using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Custom emojis, announcements, trends, suggestions, preferences and markers.</summary>
public sealed class ApiMiscFunctions(MiscApiHandler misc)
{
    [Function("CustomEmojis")]
    public IActionResult CustomEmojis(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/custom_emojis")] HttpRequest req) =>
        misc.CustomEmojis(req);

    [Function("Announcements")]
    public async Task<IActionResult> Announcements(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/announcements")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.AnnouncementsAsync(req, cancellationToken);

    [Function("AnnouncementsDismiss")]
    public async Task<IActionResult> DismissAnnouncement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/announcements/{id}/dismiss")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await misc.DismissAnnouncementAsync(req, cancellationToken);

    [Function("Trends")]
    public IActionResult Trends(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/trends")] HttpRequest req) =>
        misc.Trends(req);

    [Function("TrendsTags")]
    public IActionResult TrendsTags(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/trends/tags")] HttpRequest req) =>
        misc.Trends(req);

    [Function("TrendsStatuses")]
    public IActionResult TrendsStatuses(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/trends/statuses")] HttpRequest req) =>
        misc.Trends(req);

    [Function("TrendsLinks")]
    public IActionResult TrendsLinks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/trends/links")] HttpRequest req) =>
        misc.Trends(req);

    [Function("SuggestionsV1")]
    public async Task<IActionResult> SuggestionsV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/suggestions")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.SuggestionsAsync(req, cancellationToken);

    [Function("SuggestionsV2")]
    public async Task<IActionResult> SuggestionsV2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/suggestions")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.SuggestionsAsync(req, cancellationToken);

    [Function("Preferences")]
    public async Task<IActionResult> Preferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/preferences")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.PreferencesAsync(req, cancellationToken);

    [Function("MarkersGet")]
    public async Task<IActionResult> GetMarkers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/markers")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.GetMarkersAsync(req, cancellationToken);

    [Function("MarkersSet")]
    public async Task<IActionResult> SetMarkers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/markers")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await misc.SetMarkersAsync(req, cancellationToken);
}
