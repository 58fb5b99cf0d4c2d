using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>Cached remote actor (PK SHA-256 of the actor id, RK <c>actor</c>).</summary>
internal sealed class RemoteActorEntity : StoredEntity
{
    public string ActorId { get; set; } = "";
    public string Type { get; set; } = "";
    public string? PreferredUsername { get; set; }
    public string? Name { get; set; }
    public string Inbox { get; set; } = "";
    public string? SharedInbox { get; set; }
    public string? Url { get; set; }
    public string? KeyId { get; set; }
    public string? PublicKeyPem { get; set; }
    public string? Ed25519KeyId { get; set; }
    public byte[]? Ed25519PublicKey { get; set; }
    public DateTimeOffset FetchedAt { get; set; }
    public string? Summary { get; set; }
    public string? IconUrl { get; set; }
    public string? ImageUrl { get; set; }
    public bool Locked { get; set; }
    public DateTimeOffset? Published { get; set; }

    /// <summary>Space-separated actor ids (URIs contain no spaces).</summary>
    public string? AlsoKnownAs { get; set; }
    public string? MovedTo { get; set; }

    /// <summary>Space-separated hosts.</summary>
    public string? AttributionDomains { get; set; }
    public string? FollowersUrl { get; set; }
    public string? FollowingUrl { get; set; }
    public string? FeaturedUrl { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}
