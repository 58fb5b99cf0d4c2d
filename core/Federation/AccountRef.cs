using ServerlessFedi.Accounts;

namespace ServerlessFedi.Federation;

/// <summary>An account as the client API names it: local (<see cref="Local"/>) or a cached remote actor (<see cref="Remote"/>).</summary>
public sealed record AccountRef(string ApiId, string ActorId, LocalAccount? Local, RemoteActor? Remote)
{
    public bool IsLocal => Local is not null;

    /// <summary>Where activities for this account go (null for local accounts).</summary>
    public string? DeliveryInbox => Remote?.Inbox;
}
