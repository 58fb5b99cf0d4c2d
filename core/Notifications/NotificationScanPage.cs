namespace ServerlessFedi.Notifications;

/// <summary>
/// The first range query of a notifications scan (<see cref="NotificationStore.ScanFirstAsync"/>): the account, cursors
/// and page size it was read with, its rows newest first (null for a row that is not a readable notification, which
/// still counts towards the scan's row limit), and the storage continuation of the next page (null when there is none).
/// </summary>
public sealed record NotificationScanPage(string AccountId, string? BelowId, string? AboveId, int PageSize, IReadOnlyList<Notification?> Rows, string? Continuation);
