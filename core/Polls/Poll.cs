namespace ServerlessFedi.Polls;

/// <summary>
/// The poll a status carries (docs: entities/Poll), as fixed when it was posted: its options, when it ends, whether
/// several options may be chosen and whether totals are hidden until it ends. Stored with the status; the counts live
/// in <see cref="PollTally"/> (they change with every vote). A remote poll's options and end come from its Question.
/// </summary>
public sealed record Poll
{
    public required IReadOnlyList<string> Options { get; init; }

    /// <summary>When voting ends; null for a poll without an end (a remote Question may have none).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Several options may be chosen (ActivityStreams <c>anyOf</c>), else one (<c>oneOf</c>).</summary>
    public bool Multiple { get; init; }

    /// <summary>Counts are shown to others only once the poll has ended (Mastodon's <c>hide_totals</c>).</summary>
    public bool HideTotals { get; init; }

    public bool HasEnded(DateTimeOffset now) => ExpiresAt is { } end && end <= now;
}
