using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Notifications;
using DomainNotification = ServerlessFedi.Notifications.Notification;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Notifications onto the wire (docs: entities/Notification, entities/GroupedNotificationsResults#NotificationGroup).</summary>
public static class NotificationMapper
{
    /// <summary>Mastodon's type names, in the order of <see cref="NotificationType"/>.</summary>
    public static string TypeName(NotificationType type) => type switch
    {
        NotificationType.FollowRequest => "follow_request",
        NotificationType.QuotedUpdate => "quoted_update",
        _ => WireNames.Lower(type),
    };

    public static Entities.Notification ToNotification(DomainNotification n, Account account, Status? status)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.Id, TypeName(n.Type), NotificationGroupKey.Of(n), n.CreatedAt, account, status);
    }

    /// <summary>
    /// A group of notifications, newest member first; <paramref name="pageMinId"/> null leaves out the page fields (a
    /// single group is answered whole).
    /// </summary>
    public static NotificationGroup ToGroup(string key, DomainNotification representative, IReadOnlyList<DomainNotification> members, IReadOnlyList<string> sampleAccountIds, string? statusId, string? pageMinId)
    {
        ArgumentNullException.ThrowIfNull(representative);
        ArgumentNullException.ThrowIfNull(members);
        var newest = members[0];
        return new NotificationGroup
        {
            GroupKey = key,
            NotificationsCount = members.Count,
            Type = TypeName(representative.Type),
            MostRecentNotificationId = newest.Id,
            PageMinId = pageMinId,
            PageMaxId = pageMinId is null ? null : newest.Id,
            LatestPageNotificationAt = pageMinId is null ? null : newest.CreatedAt,
            SampleAccountIds = sampleAccountIds,
            StatusId = statusId,
        };
    }
}
