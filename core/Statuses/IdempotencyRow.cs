using Azure;

namespace ServerlessFedi.Statuses;

/// <summary>The current holder of an <c>Idempotency-Key</c>: when it was claimed, and the status it produced once completed.</summary>
public sealed record IdempotencyRow(string AccountId, string Key, ETag ETag, DateTimeOffset? ClaimedAt, string? StatusId, DateTimeOffset? CompletedAt);
