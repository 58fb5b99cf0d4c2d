namespace ServerlessFedi.Push;

/// <summary>
/// Work on the <c>push</c> queue: push notification <see cref="NotificationId"/> of <see cref="AccountId"/> to its
/// subscriptions; a retry names the one <see cref="TokenHash"/> whose push service asked to try again, and its <see cref="Attempt"/>.
/// </summary>
public sealed record PushMessage(string AccountId, string NotificationId, string? TokenHash = null, int Attempt = 0);
