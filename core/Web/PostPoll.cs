using ServerlessFedi.Polls;

namespace ServerlessFedi.Web;

/// <summary>
/// A poll as a page shows it: each option with its share as a plain <c>meter</c> (no script, no inline style), the
/// voters, and whether it is closed or when it ends. Hidden totals show no counts until the poll ends.
/// </summary>
public sealed record PostPoll(IReadOnlyList<PostPollOption> Options, long? VotersCount, bool Closed, DateTimeOffset? EndsAt)
{
    public static PostPoll Of(Poll poll, PollTally? tally, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var counts = tally ?? PollTally.Empty(poll.Options.Count);
        var closed = counts.ClosedAt is not null || poll.HasEnded(now);
        var hidden = poll.HideTotals && !closed;
        var total = counts.VotesCount;
        return new PostPoll(
            [.. poll.Options.Select((title, i) =>
            {
                var votes = i < counts.Votes.Count ? counts.Votes[i] : 0;
                return new PostPollOption(title, hidden ? null : votes, hidden ? null : total == 0 ? 0 : (int)Math.Round(100.0 * votes / total));
            })],
            hidden ? null : counts.VotersCount,
            closed,
            poll.ExpiresAt);
    }
}
