using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>
/// Grouped notifications (<c>/api/v2/notifications</c>). A group key always has a dash and digits, so
/// <c>unread_count</c> and <c>policy</c> never reach the group routes.
/// </summary>
public sealed class GroupedNotificationFunctions(GroupedNotificationApiHandler notifications)
{
    [Function("NotificationsV2List")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/notifications")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await notifications.ListAsync(req, cancellationToken);

    [Function("NotificationsV2UnreadCount")]
    public async Task<IActionResult> UnreadCount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/notifications/unread_count")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await notifications.UnreadCountAsync(req, cancellationToken);

    [Function("NotificationsV2Group")]
    public async Task<IActionResult> Group(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/notifications/{groupKey:regex(^\\w+(-\\d+)+$)}")] HttpRequest req,
        string groupKey,
        CancellationToken cancellationToken) =>
        await notifications.GetAsync(req, groupKey, cancellationToken);

    [Function("NotificationsV2GroupAccounts")]
    public async Task<IActionResult> GroupAccounts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v2/notifications/{groupKey:regex(^\\w+(-\\d+)+$)}/accounts")] HttpRequest req,
        string groupKey,
        CancellationToken cancellationToken) =>
        await notifications.AccountsAsync(req, groupKey, cancellationToken);

    [Function("NotificationsV2GroupDismiss")]
    public async Task<IActionResult> GroupDismiss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v2/notifications/{groupKey:regex(^\\w+(-\\d+)+$)}/dismiss")] HttpRequest req,
        string groupKey,
        CancellationToken cancellationToken) =>
        await notifications.DismissAsync(req, groupKey, cancellationToken);
}
