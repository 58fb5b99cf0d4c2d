using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Polls;

/// <summary>
/// A local account's vote (docs: methods/polls#vote): counted by <see cref="PollVoting"/>; on a remote poll each chosen
/// option also goes to the poll's author as a Create of a Note named after it (Mastodon's VoteService), whose server
/// counts it and later sends its new counts in an Update of the Question.
/// Storage: the vote's cost; on a remote poll + 1-2 reads (the author's inbox) + 1 queue send per chosen option.
/// </summary>
public sealed class PollService(PollVoting voting, AccountDirectory directory, ActivityPublisher publisher, NoteMapper notes)
{
    public async Task<(PollVoteOutcome Outcome, PollTally? Tally, IReadOnlyList<int> OwnVotes)> VoteAsync(LocalAccount voter, Status status, IReadOnlyList<int> choices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voter);
        ArgumentNullException.ThrowIfNull(status);
        var result = await voting.VoteAsync(status, PollVoter.Local(voter.Id), choices, null, cancellationToken);
        if (result.Outcome != PollVoteOutcome.Counted || status.IsLocal)
        {
            return result;
        }

        if (await directory.GetByApiIdAsync(status.AccountId, cancellationToken) is { DeliveryInbox: { } inbox } author)
        {
            foreach (var choice in choices.Distinct())
            {
                var vote = notes.Vote(voter, status.Uri!, author.ActorId, status.Id, choice, status.Poll!.Options[choice]);
                await publisher.SendAsync(voter, vote, inbox, cancellationToken);
            }
        }

        return result;
    }
}
