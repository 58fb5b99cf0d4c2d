using ServerlessFedi.Notifications;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Notifications;

/// <summary>The <c>group_key</c> of a notification (docs: methods/grouped_notifications), computed from the stored notification.</summary>
[TestClass]
public sealed class NotificationGroupKeyTests
{
    [TestMethod]
    public void Group_keys_follow_fixed_windows_and_parse_back()
    {
        static Notification At(NotificationType type, DateTimeOffset at, string? status = "117684648624352871") =>
            new(SnowflakeIds.AtTime(at), type, "https://peer.example/users/a", status, at);

        var morning = At(NotificationType.Favourite, new DateTimeOffset(2026, 11, 20, 11, 59, 0, TimeSpan.Zero));
        var noon = At(NotificationType.Favourite, new DateTimeOffset(2026, 11, 20, 12, 1, 0, TimeSpan.Zero));
        Assert.AreNotEqual(NotificationGroupKey.Of(morning), NotificationGroupKey.Of(noon), "favourites group within 12-hour windows");
        Assert.AreEqual(
            NotificationGroupKey.Of(At(NotificationType.Follow, new DateTimeOffset(2026, 11, 20, 0, 1, 0, TimeSpan.Zero), null)),
            NotificationGroupKey.Of(At(NotificationType.Follow, new DateTimeOffset(2026, 11, 20, 23, 59, 0, TimeSpan.Zero), null)),
            "follows group by UTC day");
        var mention = At(NotificationType.Mention, new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero));
        Assert.AreEqual($"ungrouped-{mention.Id}", NotificationGroupKey.Of(mention));
        Assert.AreEqual($"ungrouped-{morning.Id}", NotificationGroupKey.Of(morning, new HashSet<NotificationType> { NotificationType.Follow }));

        var parsed = NotificationGroupKey.Parse(NotificationGroupKey.Of(noon))!;
        Assert.AreEqual(NotificationType.Favourite, parsed.Type);
        Assert.AreEqual(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), parsed.From);
        Assert.AreEqual(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), parsed.To);
        Assert.IsNull(NotificationGroupKey.Parse("follow-13"), "a follow window starts at a day boundary");
        Assert.IsNull(NotificationGroupKey.Parse("reblog-1-0"));
        Assert.IsNull(NotificationGroupKey.Parse("ungrouped-x"));
        Assert.IsNull(NotificationGroupKey.Parse("status-117684648624352871-12"));
    }
}
