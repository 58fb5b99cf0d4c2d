namespace ServerlessFedi.Statuses;

/// <summary>
/// A status a local account asked to publish later (docs: entities/ScheduledStatus): the posting parameters as they
/// will be used, the media it holds (reserved: no other status can take them, the clean-up leaves them), and, once the
/// publishing timer claimed it, the id the status gets (<see cref="StatusId"/>) and when it was claimed.
/// </summary>
public sealed record ScheduledStatus
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required DateTimeOffset ScheduledAt { get; init; }

    public string Text { get; init; } = "";

    public Visibility Visibility { get; init; } = Visibility.Public;

    public string SpoilerText { get; init; } = "";

    public bool Sensitive { get; init; }

    public string? Language { get; init; }

    public string? InReplyToId { get; init; }

    /// <summary>The posting app's name (the token's description), as the status will carry it.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>The reserved uploads, in the order asked for; the copies show them in the entity.</summary>
    public IReadOnlyList<ServerlessFedi.Media.MediaAttachment> Media { get; init; } = [];

    /// <summary>The id drawn for the status when the timer claimed this one; kept by every later claim, so the status's insert is the last guard against a second publication.</summary>
    public string? StatusId { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>The poll it will carry; its duration counts from the publication.</summary>
    public Polls.PollRequest? Poll { get; init; }

    /// <summary>The request this becomes at its time.</summary>
    public NewStatus ToNewStatus() => new(Text, Visibility, SpoilerText, Sensitive, Language, InReplyToId, ApplicationName, [.. Media.Select(m => m.Id)])
    {
        StatusId = StatusId,
        MediaHeldBy = Id,
        Poll = Poll,
    };
}
