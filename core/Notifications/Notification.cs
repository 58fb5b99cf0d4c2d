namespace ServerlessFedi.Notifications;

/// <summary>A notification of a local account: what happened, who did it (actor id), and the status it concerns.</summary>
public sealed record Notification(string Id, NotificationType Type, string FromActorId, string? StatusId, DateTimeOffset CreatedAt);
