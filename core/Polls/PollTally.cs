namespace ServerlessFedi.Polls;

/// <summary>
/// The counts of a poll: votes per option and distinct voters (a local poll's from its vote rows, a remote poll's as
/// its server last said, plus our own accounts' votes since), and whether the end-of-poll work is done.
/// </summary>
public sealed record PollTally
{
    public required IReadOnlyList<long> Votes { get; init; }

    public long VotersCount { get; init; }

    /// <summary>When the end of the poll was handled (final Update and notifications); null before.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public long VotesCount => Votes.Sum();

    public static PollTally Empty(int options) => new() { Votes = new long[options] };
}
