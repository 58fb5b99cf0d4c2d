namespace ServerlessFedi.Polls;

/// <summary>What a vote did: counted, or why not (Mastodon's VoteValidator: ended, chosen before, an option that does not exist, one's own poll).</summary>
public enum PollVoteOutcome
{
    Counted,
    Expired,
    AlreadyVoted,
    InvalidChoice,
    OwnPoll,
    NotFound,
}
