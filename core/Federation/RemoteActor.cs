namespace ServerlessFedi.Federation;

/// <summary>A remote actor as cached: what delivery and signature checks need, not the whole document.</summary>
public sealed record RemoteActor(
    string Id,
    string Type,
    string? PreferredUsername,
    string? Name,
    string Inbox,
    string? SharedInbox,
    string? Url,
    string? KeyId,
    string? PublicKeyPem,
    string? Ed25519KeyId,
    byte[]? Ed25519PublicKey,
    DateTimeOffset FetchedAt)
{
    /// <summary>Where deliveries go: the shared inbox when the actor's server has one (ActivityPub §7.1.3).</summary>
    public string DeliveryInbox => SharedInbox ?? Inbox;

    public string Host => new Uri(Id).Host;
}
