namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Notifications v1 and grouped v2 against golden files (docs: methods/notifications, methods/grouped_notifications;
/// entities/Notification, GroupedNotificationsResults, NotificationGroup, PartialAccountWithAvatar).
/// </summary>
[TestClass]
public sealed class NotificationGoldenTests
{
    [TestMethod]
    public async Task Notifications_v1_and_grouped()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (alice, aliceToken) = await g.AccountAsync("alice", "Alice Agency");
        var (_, bobToken) = await g.AccountAsync("bob");
        var (_, carolToken) = await g.AccountAsync("carol");
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", bobToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", carolToken);
        var post = await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = "Consultation open" });
        var postId = post.GetProperty("id").GetString();
        await g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{postId}/favourite", bobToken);
        await g.DrainAsync(); // favourites notify from the queue, whose messages in one batch run at once: one at a time, as they were made
        await g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{postId}/favourite", carolToken);
        await g.DrainAsync(); // and before the boost
        await g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{postId}/reblog", bobToken);
        await g.DrainAsync(); // the boost notifies from its Announce's fan-out message: before the reply, as it was made
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", bobToken, new { status = "@alice a question", in_reply_to_id = postId });
        await g.DrainAsync();

        var list = await g.GetAsync("notifications", "/api/v1/notifications", aliceToken);
        await g.GetAsync("notifications-page", "/api/v1/notifications?limit=2&types[]=favourite&types[]=follow", aliceToken);
        await g.GetAsync("notification", $"/api/v1/notifications/{list[0].GetProperty("id").GetString()}", aliceToken);
        await g.GetAsync("notifications-unread-count", "/api/v1/notifications/unread_count", aliceToken);
        var grouped = await g.GetAsync("notifications-grouped", "/api/v2/notifications", aliceToken);
        await g.GetAsync("notifications-grouped-partial", "/api/v2/notifications?expand_accounts=partial_avatars&limit=2", aliceToken);
        var favourites = grouped.GetProperty("notification_groups").EnumerateArray().First(n => n.GetProperty("type").GetString() == "favourite").GetProperty("group_key").GetString();
        await g.GetAsync("notification-group", $"/api/v2/notifications/{favourites}", aliceToken);
        await g.GetAsync("notification-group-accounts", $"/api/v2/notifications/{favourites}/accounts", aliceToken);
        await g.GetAsync("notifications-grouped-unread-count", "/api/v2/notifications/unread_count", aliceToken);
        await g.GetAsync("error-grouped-expand", "/api/v2/notifications?expand_accounts=all", aliceToken);
        await g.PostAsync("notification-group-dismiss", $"/api/v2/notifications/{favourites}/dismiss", aliceToken);
        await g.GetAsync("error-notification-group-gone", $"/api/v2/notifications/{favourites}", aliceToken);
        await g.PostAsync("notification-dismiss", $"/api/v1/notifications/{list[0].GetProperty("id").GetString()}/dismiss", aliceToken);
        await g.PostAsync("notifications-clear", "/api/v1/notifications/clear", aliceToken);
        await g.GetAsync("notifications-empty", "/api/v1/notifications", aliceToken);
    }
}
