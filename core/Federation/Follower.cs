namespace ServerlessFedi.Federation;

/// <summary>An actor following a local account, with the inbox deliveries go to (or, for a local follower, its account id).</summary>
public sealed record Follower(string ActorId, string Inbox, string? SharedInbox, string? FollowActivityId, DateTimeOffset CreatedAt)
{
    public string DeliveryInbox => SharedInbox ?? Inbox;

    /// <summary>Set when the follower is a local account: it gets posts in its home timeline, not by delivery.</summary>
    public string? LocalAccountId { get; init; }
}
