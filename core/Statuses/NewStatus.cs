namespace ServerlessFedi.Statuses;

/// <summary>What a client asks to post (Mastodon's POST /api/v1/statuses parameters we support).</summary>
public sealed record NewStatus(
    string? Text,
    Visibility Visibility = Visibility.Public,
    string? SpoilerText = null,
    bool Sensitive = false,
    string? Language = null,
    string? InReplyToId = null,
    string? ApplicationName = null,
    IReadOnlyList<string>? MediaIds = null)
{
    /// <summary>The id to store the status under (a scheduled status's claim drew it); null draws a new one.</summary>
    public string? StatusId { get; init; }

    /// <summary>The scheduled status whose reserved media <see cref="MediaIds"/> names; null: unattached uploads only.</summary>
    public string? MediaHeldBy { get; init; }

    /// <summary>The poll to attach (<c>poll[...]</c>), validated by <see cref="Polls.PollLimits"/>; null without one.</summary>
    public Polls.PollRequest? Poll { get; init; }

    /// <summary>Who may quote it (<c>quote_approval_policy</c>); null: the default for its visibility.</summary>
    public Quotes.QuotePolicy? QuotePolicy { get; init; }

    /// <summary>The status it quotes (<c>quoted_status_id</c>, Mastodon 4.5); null: none.</summary>
    public string? QuotedStatusId { get; init; }

    /// <summary>
    /// The posting request's audit row (team access): the post's guard and its fan-out carry it and record it, not the
    /// request (<see cref="StatusResult.AuditQueued"/>); null when nothing is to be recorded (a scheduled post's publication).
    /// </summary>
    public Team.PendingAudit? Audit { get; init; }
}
