namespace ServerlessFedi.Notifications;

/// <summary>
/// One range query of a notifications page (<see cref="NotificationStore.FirstBatchAsync"/>): the account and cursors it
/// was read with, its readable notifications newest first, and the cursor of the next batch (null when there is none).
/// </summary>
public sealed record NotificationBatch(string AccountId, string? MaxId, string? SinceId, string? MinId, IReadOnlyList<Notification> Items, string? Next);
