using ServerlessFedi.Polls;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// Polls onto the wire (docs: entities/Poll): the status's poll with its tally and, for a signed-in viewer, the
/// viewer's votes. With <c>hide_totals</c> the counts are null to everyone but the author until the poll ends
/// (Mastodon's <c>hide_totals</c>); <c>votes_count</c> stays, as Mastodon writes it.
/// </summary>
public sealed class PollMapper(TimeProvider time)
{
    /// <param name="ownVotes">The viewer's choices (empty when it has not voted); null without a signed-in viewer.</param>
    /// <param name="isAuthor">The viewer wrote the poll (sees its totals).</param>
    public Entities.Poll ToPoll(string statusId, Poll poll, PollTally? tally, IReadOnlyList<int>? ownVotes, bool isAuthor)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var counts = tally ?? PollTally.Empty(poll.Options.Count);
        var expired = counts.ClosedAt is not null || poll.HasEnded(time.GetUtcNow());
        var hidden = poll.HideTotals && !expired && !isAuthor;
        return new Entities.Poll
        {
            Id = statusId,
            ExpiresAt = poll.ExpiresAt,
            Expired = expired,
            Multiple = poll.Multiple,
            VotesCount = counts.VotesCount,
            VotersCount = hidden ? null : counts.VotersCount,
            Options = [.. poll.Options.Select((title, i) => new Entities.PollOption(title, hidden ? null : i < counts.Votes.Count ? counts.Votes[i] : 0))],
            Voted = ownVotes is null ? null : isAuthor || ownVotes.Count > 0,
            OwnVotes = ownVotes,
        };
    }
}
