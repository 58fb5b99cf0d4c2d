namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>summary</c> of a NotificationPolicy: notification requests waiting, and the notifications they hold.</summary>
public sealed record NotificationPolicySummary(int PendingRequestsCount, int PendingNotificationsCount);
