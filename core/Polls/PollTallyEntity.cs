using ServerlessFedi.Storage;

namespace ServerlessFedi.Polls;

/// <summary>Table row of a poll's counts (PK <c>poll-{statusId}</c>, RK <c>tally</c>).</summary>
internal sealed class PollTallyEntity : StoredEntity
{
    /// <summary>Votes per option, comma-separated in option order.</summary>
    public string Votes { get; set; } = "";

    public long VotersCount { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When an instance began the end-of-poll work (a claim a dead instance's successor takes over after a while).</summary>
    public DateTimeOffset? CloseClaimedAt { get; set; }
}
