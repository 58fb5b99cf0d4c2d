namespace ServerlessFedi.Polls;

/// <summary>Who votes: a local account (its id) or a remote actor (its ActivityPub id); one vote row each per poll.</summary>
public sealed record PollVoter(string? AccountId, string? ActorId)
{
    public static PollVoter Local(string accountId) => new(accountId, null);

    public static PollVoter Remote(string actorId) => new(null, actorId);

    public bool IsLocal => AccountId is not null;
}
