using ServerlessFedi.Statuses;

namespace ServerlessFedi.Polls;

/// <summary>
/// Counting votes, local and remote, by one rule (Mastodon's VoteValidator): no vote after the end, none in one's own
/// poll, only existing options; a single-choice poll takes one choice per voter, a multiple-choice poll each option
/// once per voter (a remote anyOf vote arrives one Create per option). The voter row and the tally change together
/// (<see cref="PollStore.TryRecordAsync"/>); on a conflict the vote re-reads and retries after a short random pause.
/// Storage per vote: 2 point reads + 1 entity group transaction (2 entities), again per conflict; + 1 insert for a
/// local poll with visible totals (the debounced Update, <see cref="PollStore.RequestUpdateAsync"/>).
/// </summary>
public sealed class PollVoting(PollStore polls, TimeProvider time)
{
    /// <summary>Attempts before a vote gives up under contention (each conflict means another vote was counted).</summary>
    public const int MaxAttempts = 40;

    /// <summary>How long counts wait before they go out in an Update, so a burst of votes makes one (Mastodon waits 3 minutes too).</summary>
    public static readonly TimeSpan UpdateDelay = TimeSpan.FromMinutes(3);

    /// <summary>Counts <paramref name="choices"/> of <paramref name="voter"/> in the poll of <paramref name="status"/> (a local or remote poll).</summary>
    public async Task<(PollVoteOutcome Outcome, PollTally? Tally, IReadOnlyList<int> OwnVotes)> VoteAsync(Status status, PollVoter voter, IReadOnlyList<int> choices, string? inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(voter);
        ArgumentNullException.ThrowIfNull(choices);
        if (status.Poll is not { } poll || status.DeletedAt is not null)
        {
            return (PollVoteOutcome.NotFound, null, []);
        }

        var now = time.GetUtcNow();
        if (voter.AccountId == status.AccountId)
        {
            return (PollVoteOutcome.OwnPoll, null, []);
        }

        if (poll.HasEnded(now))
        {
            return (PollVoteOutcome.Expired, null, []);
        }

        if (choices.Count == 0 || choices.Any(c => c < 0 || c >= poll.Options.Count))
        {
            return (PollVoteOutcome.InvalidChoice, null, []);
        }

        // Mastodon records the choices one by one: a second choice in a single-choice poll is "already voted".
        if (!poll.Multiple && choices.Distinct().Count() > 1)
        {
            return (PollVoteOutcome.AlreadyVoted, null, []);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await polls.GetAsync(status.Id, cancellationToken) is not { } current)
            {
                return (PollVoteOutcome.NotFound, null, []);
            }

            var earlier = await polls.GetChoicesAsync(status.Id, voter, cancellationToken);
            var before = earlier?.Choices ?? [];
            var added = choices.Distinct().ToList();
            if (before.Count > 0 && (!poll.Multiple || added.Any(before.Contains)))
            {
                return (PollVoteOutcome.AlreadyVoted, current.Tally, before);
            }

            var votes = current.Tally.Votes.ToArray();
            if (votes.Length != poll.Options.Count)
            {
                Array.Resize(ref votes, poll.Options.Count);
            }

            foreach (var c in added)
            {
                votes[c]++;
            }

            var tally = current.Tally with { Votes = votes, VotersCount = current.Tally.VotersCount + (before.Count == 0 ? 1 : 0) };
            var all = before.Concat(added).ToList();
            if (await polls.TryRecordAsync(status.Id, voter, inbox, all, earlier?.ETag, tally, current.ETag, cancellationToken))
            {
                if (status.IsLocal && !poll.HideTotals)
                {
                    await polls.RequestUpdateAsync(status.Id, now + UpdateDelay, cancellationToken);
                }

                return (PollVoteOutcome.Counted, tally, all);
            }

            // Contention on one row: a short random pause in real time (not the domain clock) spreads the retries.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + (attempt * 5))), cancellationToken);
        }

        throw new InvalidOperationException($"the poll of status {status.Id} is too busy to count a vote now");
    }
}
