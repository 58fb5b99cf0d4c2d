namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Notification (docs: entities/Notification); <c>status</c> is null for types without one (follow, follow_request).</summary>
public sealed record Notification(string Id, string Type, string GroupKey, DateTimeOffset CreatedAt, Account Account, Status? Status);
