namespace ServerlessFedi.Federation;

/// <summary>
/// How a local account stands towards an actor: it blocks or mutes the actor, or blocked the actor's server; or the
/// operator withholds the actor from it (<see cref="Withheld"/>: suspended, or silenced and not followed by the account).
/// </summary>
public sealed record SenderStanding(bool Blocks, bool Mutes, bool BlocksServer, bool Withheld = false)
{
    /// <summary>The actor is hidden from the account (Mastodon hides notifications and listings for each of these).</summary>
    public bool Hides => Blocks || Mutes || BlocksServer || Withheld;
}
