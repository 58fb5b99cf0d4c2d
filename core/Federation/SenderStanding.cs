namespace ServerlessFedi.Federation;

/// <summary>How a local account stands towards an actor: it blocks or mutes the actor, or blocked the actor's server.</summary>
public sealed record SenderStanding(bool Blocks, bool Mutes, bool BlocksServer)
{
    /// <summary>The actor is hidden from the account (Mastodon hides notifications and listings for each of the three).</summary>
    public bool Hides => Blocks || Mutes || BlocksServer;
}
