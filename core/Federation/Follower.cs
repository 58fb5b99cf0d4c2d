namespace ServerlessFedi.Federation;

/// <summary>A remote actor following a local account, with the inbox deliveries go to.</summary>
public sealed record Follower(string ActorId, string Inbox, string? SharedInbox, string? FollowActivityId, DateTimeOffset CreatedAt)
{
    public string DeliveryInbox => SharedInbox ?? Inbox;
}
