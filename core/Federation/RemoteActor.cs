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
    /// <summary>
    /// True when <paramref name="keyId"/> is this actor's RSA or Ed25519 key and lies on the actor's origin: a key id is never
    /// taken from an actor document on another server, so no actor can claim (and, by deleting itself, shadow) another's key.
    /// </summary>
    public bool OwnsKey(string keyId) =>
        (KeyId == keyId || Ed25519KeyId == keyId)
        && Uri.TryCreate(keyId, UriKind.Absolute, out var key) && Uri.TryCreate(Id, UriKind.Absolute, out var id) && ActorDocumentParser.SameOrigin(key, id);

    /// <summary>Where deliveries go: the shared inbox when the actor's server has one (ActivityPub §7.1.3).</summary>
    public string DeliveryInbox => SharedInbox ?? Inbox;

    public string Host => new Uri(Id).Host;

    /// <summary>The Mastodon API id of this account (see <see cref="RemoteAccountIds"/>).</summary>
    public string AccountId => RemoteAccountIds.For(Id);

    /// <summary><c>summary</c>, sanitised HTML.</summary>
    public string Summary { get; init; } = "";

    public string? IconUrl { get; init; }

    public string? ImageUrl { get; init; }

    /// <summary><c>manuallyApprovesFollowers</c>: a Follow stays a request until the actor accepts it.</summary>
    public bool Locked { get; init; }

    public DateTimeOffset? Published { get; init; }

    public IReadOnlyList<string> AlsoKnownAs { get; init; } = [];

    /// <summary><c>attributionDomains</c> (Mastodon 4.3): the hosts whose pages may name this actor as their <c>fediverse:creator</c>, lower case.</summary>
    public IReadOnlyList<string> AttributionDomains { get; init; } = [];

    /// <summary><c>movedTo</c>: the account this one moved to.</summary>
    public string? MovedTo { get; init; }

    public string? FollowersUrl { get; init; }

    /// <summary><c>following</c>: the collection a quote policy names for the accounts the actor follows.</summary>
    public string? FollowingUrl { get; init; }

    public string? FeaturedUrl { get; init; }

    /// <summary>When the actor deleted itself (its <c>Delete</c> arrived); the cached copy stays so old notifications render, but nothing new from it is accepted.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
}
