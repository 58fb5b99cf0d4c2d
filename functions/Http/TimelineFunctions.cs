using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Functions.Http;

/// <summary>Timelines, notifications, and what accounts do to statuses.</summary>
public sealed class TimelineFunctions(TimelineApiHandler timelines, NotificationApiHandler notifications, StatusActionsHandler actions)
{
    [Function("TimelinesHome")]
    public async Task<IActionResult> Home(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/timelines/home")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await timelines.HomeAsync(req, cancellationToken);

    [Function("TimelinesPublic")]
    public async Task<IActionResult> Public(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/timelines/public")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await timelines.PublicAsync(req, cancellationToken);

    [Function("TimelinesTag")]
    public async Task<IActionResult> Tag(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/timelines/tag/{hashtag}")] HttpRequest req,
        string hashtag,
        CancellationToken cancellationToken) =>
        await timelines.TagAsync(req, hashtag, cancellationToken);

    [Function("TimelinesList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/timelines/list/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await timelines.ListAsync(req, id, cancellationToken);

    [Function("NotificationsList")]
    public async Task<IActionResult> Notifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await notifications.ListAsync(req, cancellationToken);

    [Function("NotificationsUnreadCount")]
    public async Task<IActionResult> UnreadCount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/unread_count")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await notifications.UnreadCountAsync(req, cancellationToken);

    [Function("NotificationsClear")]
    public async Task<IActionResult> Clear(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/notifications/clear")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await notifications.ClearAsync(req, cancellationToken);

    [Function("NotificationsGet")]
    public async Task<IActionResult> Notification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/notifications/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await notifications.GetAsync(req, id, cancellationToken);

    [Function("NotificationsDismiss")]
    public async Task<IActionResult> Dismiss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/notifications/{id:regex(^\\d+$)}/dismiss")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await notifications.DismissAsync(req, id, cancellationToken);

    [Function("StatusesAction")]
    public async Task<IActionResult> Act(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/statuses/{id:regex(^\\d+$)}/{action:regex(^(favourite|unfavourite|reblog|unreblog|bookmark|unbookmark|pin|unpin|mute|unmute)$)}")] HttpRequest req,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        await actions.ActAsync(req, id, action, cancellationToken);

    [Function("StatusesContext")]
    public async Task<IActionResult> Context(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/context")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await actions.ContextAsync(req, id, cancellationToken);

    [Function("StatusesFavouritedBy")]
    public async Task<IActionResult> FavouritedBy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/favourited_by")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await actions.ActorsAsync(req, id, InteractionKind.Favourite, cancellationToken);

    [Function("StatusesRebloggedBy")]
    public async Task<IActionResult> RebloggedBy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/statuses/{id:regex(^\\d+$)}/reblogged_by")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await actions.ActorsAsync(req, id, InteractionKind.Reblog, cancellationToken);

    [Function("FavouritesList")]
    public async Task<IActionResult> Favourites(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/favourites")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await actions.MarkedAsync(req, InteractionKind.Favourite, cancellationToken);

    [Function("BookmarksList")]
    public async Task<IActionResult> Bookmarks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/bookmarks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await actions.MarkedAsync(req, InteractionKind.Bookmark, cancellationToken);
}
