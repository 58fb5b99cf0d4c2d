namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// The <c>params</c> of a ScheduledStatus (docs: entities/ScheduledStatus#params): the posting parameters as they will be
/// used (account defaults already applied), the poll as asked for (or null), <c>scheduled_at</c> and
/// <c>idempotency</c> null and <c>with_rate_limit</c> false as in Mastodon; <c>application_id</c> is null (apps have no
/// numeric id here; the docs mark it deprecated). <c>in_reply_to_id</c> is a string like every id of the API (Mastodon
/// writes it as a number, which JavaScript apps cannot hold exactly).
/// </summary>
public sealed record ScheduledStatusParams
{
    public required string Text { get; init; }

    public ScheduledStatusPoll? Poll { get; init; }

    public IReadOnlyList<string>? MediaIds { get; init; }

    public bool? Sensitive { get; init; }

    public string? SpoilerText { get; init; }

    public required string Visibility { get; init; }

    public string? Language { get; init; }

    public string? ScheduledAt { get; init; }

    public string? Idempotency { get; init; }

    public bool WithRateLimit { get; init; }

    public string? InReplyToId { get; init; }

    public long? ApplicationId { get; init; }
}
