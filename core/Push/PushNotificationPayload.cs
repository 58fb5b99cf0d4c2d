namespace ServerlessFedi.Push;

/// <summary>
/// What a push carries, encrypted, as Mastodon sends it (the JSON its apps' service workers and notification extensions
/// read): the token of the app that subscribed, so an app with several accounts knows whose it is; the notification's
/// id (a JSON number, as Mastodon's) and type; the sender's avatar, a title and a short body. Nothing else leaves.
/// </summary>
public sealed record PushNotificationPayload(
    string AccessToken,
    string PreferredLocale,
    long NotificationId,
    string NotificationType,
    string Icon,
    string Title,
    string Body);
