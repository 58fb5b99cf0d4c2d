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

    /// <summary>Someone quoted the recipient's status (Mastodon 4.5).</summary>
    Quote,

    /// <summary>A status the recipient quoted was edited (Mastodon 4.5).</summary>
    QuotedUpdate,
}
