namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The answer of <c>unread_count</c> (docs: methods/notifications#unread-count, methods/grouped_notifications#unread-group-count).</summary>
public sealed record UnreadCount(int Count);
