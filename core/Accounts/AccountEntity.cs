using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>Table row of a local account (PK <c>account</c>, RK id). Mapped to <see cref="LocalAccount"/> in <see cref="AccountStore"/> only.</summary>
internal sealed class AccountEntity : StoredEntity
{
    public string Username { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Note { get; set; } = "";
    public string ActorType { get; set; } = "Person";
    public string? Email { get; set; }
    public string PasswordHash { get; set; } = "";
    public bool Locked { get; set; }
    public bool Discoverable { get; set; }
    public bool Indexable { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastStatusAt { get; set; }
    public long StatusesCount { get; set; }
    public long FollowersCount { get; set; }
    public long FollowingCount { get; set; }
    public string RsaPrivateKeyPem { get; set; } = "";
    public string RsaPublicKeyPem { get; set; } = "";
    public byte[] Ed25519PrivateKey { get; set; } = [];
    public byte[] Ed25519PublicKey { get; set; } = [];

    /// <summary>Absent on rows written before it existed: null reads as <c>public</c>.</summary>
    public string? DefaultPrivacy { get; set; }

    public bool DefaultSensitive { get; set; }
    public string? DefaultLanguage { get; set; }

    /// <summary>Bio as the owner typed it (Mastodon's <c>source[note]</c>); null on rows written before it existed.</summary>
    public string? NoteText { get; set; }

    /// <summary>Blob names in the media container; null for the default images.</summary>
    public string? AvatarBlob { get; set; }

    public string? AvatarContentType { get; set; }

    public string? HeaderBlob { get; set; }

    public string? HeaderContentType { get; set; }

    /// <summary>Profile metadata as a JSON array of <c>{"name","value"}</c> (at most 4 short pairs); null when none.</summary>
    public string? Fields { get; set; }

    /// <summary>Set when the account is deleted (the row stays as a tombstone); see <see cref="LocalAccount.DeletedAt"/>.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public DateTimeOffset? PurgedAt { get; set; }
}
