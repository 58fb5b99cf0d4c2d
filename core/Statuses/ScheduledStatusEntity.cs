using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>Table row of a scheduled status (PK <c>sched-{accountId}</c>, RK descending id).</summary>
internal sealed class ScheduledStatusEntity : StoredEntity
{
    public string ScheduledStatusId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public DateTimeOffset ScheduledAt { get; set; }
    public string Text { get; set; } = "";
    public string Visibility { get; set; } = "Public";
    public string SpoilerText { get; set; } = "";
    public bool Sensitive { get; set; }
    public string? Language { get; set; }
    public string? InReplyToId { get; set; }
    public string? ApplicationName { get; set; }

    /// <summary>JSON array of the reserved media (at most four); null without media.</summary>
    public string? Media { get; set; }

    public string? StatusId { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>JSON of the poll request; null without a poll.</summary>
    public string? Poll { get; set; }
}
