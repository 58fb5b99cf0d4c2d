namespace ServerlessFedi.Notifications;

/// <summary>Mastodon's notification types (docs: entities/Notification).</summary>
public enum NotificationType
{
    Mention,
    Status,
    Reblog,
    Follow,
    FollowRequest,
    Favourite,
    Poll,
    Update,
}
