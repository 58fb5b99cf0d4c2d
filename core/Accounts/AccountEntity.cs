using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>Table row of a local account (PK <c>account</c>, RK id). Mapped to and from <see cref="LocalAccount"/> here only.</summary>
internal class AccountEntity : StoredEntity
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

    /// <summary>Actor ids of <see cref="LocalAccount.AlsoKnownAs"/>, space-separated; null when none.</summary>
    public string? AlsoKnownAs { get; set; }

    public string? MovedTo { get; set; }

    public DateTimeOffset? MovedAt { get; set; }

    /// <summary>Set when the account is deleted (the row stays as a tombstone); see <see cref="LocalAccount.DeletedAt"/>.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public DateTimeOffset? PurgedAt { get; set; }

    /// <summary>The row of <paramref name="a"/>, every column written.</summary>
    public static AccountEntity From(LocalAccount a)
    {
        var (pk, rk) = StorageKeys.Account(a.Id);
        return new AccountEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            Username = a.Username,
            DisplayName = a.DisplayName,
            Note = a.Note,
            ActorType = a.ActorType.ToString(),
            Email = a.Email,
            PasswordHash = a.PasswordHash,
            Locked = a.Locked,
            Discoverable = a.Discoverable,
            Indexable = a.Indexable,
            CreatedAt = a.CreatedAt,
            LastStatusAt = a.LastStatusAt,
            StatusesCount = a.StatusesCount,
            FollowersCount = a.FollowersCount,
            FollowingCount = a.FollowingCount,
            RsaPrivateKeyPem = a.RsaPrivateKeyPem,
            RsaPublicKeyPem = a.RsaPublicKeyPem,
            Ed25519PrivateKey = a.Ed25519PrivateKey,
            Ed25519PublicKey = a.Ed25519PublicKey,
            DefaultPrivacy = a.DefaultPrivacy,
            DefaultSensitive = a.DefaultSensitive,
            DefaultLanguage = a.DefaultLanguage,
            NoteText = a.NoteText,
            AvatarBlob = a.AvatarBlob,
            AvatarContentType = a.AvatarContentType,
            HeaderBlob = a.HeaderBlob,
            HeaderContentType = a.HeaderContentType,
            Fields = ProfileField.Serialize(a.Fields),
            AlsoKnownAs = a.AlsoKnownAs.Count == 0 ? null : string.Join(' ', a.AlsoKnownAs),
            MovedTo = a.MovedTo,
            MovedAt = a.MovedAt,
        };
    }

    /// <summary>The account this row holds.</summary>
    public LocalAccount ToAccount() => new()
    {
        Id = RowKey,
        Username = Username,
        DisplayName = DisplayName,
        Note = Note,
        ActorType = ParseActorType(),
        Email = Email,
        PasswordHash = PasswordHash,
        Locked = Locked,
        Discoverable = Discoverable,
        Indexable = Indexable,
        CreatedAt = CreatedAt,
        LastStatusAt = LastStatusAt,
        StatusesCount = StatusesCount,
        FollowersCount = FollowersCount,
        FollowingCount = FollowingCount,
        RsaPrivateKeyPem = RsaPrivateKeyPem,
        RsaPublicKeyPem = RsaPublicKeyPem,
        Ed25519PrivateKey = Ed25519PrivateKey,
        Ed25519PublicKey = Ed25519PublicKey,
        DefaultPrivacy = DefaultPrivacy ?? "public",
        DefaultSensitive = DefaultSensitive,
        DefaultLanguage = DefaultLanguage,
        NoteText = NoteText,
        AvatarBlob = string.IsNullOrEmpty(AvatarBlob) ? null : AvatarBlob,
        AvatarContentType = AvatarContentType,
        HeaderBlob = string.IsNullOrEmpty(HeaderBlob) ? null : HeaderBlob,
        HeaderContentType = HeaderContentType,
        Fields = ProfileField.Parse(Fields),
        AlsoKnownAs = AlsoKnownAs?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
        MovedTo = string.IsNullOrEmpty(MovedTo) ? null : MovedTo,
        MovedAt = MovedAt,
        DeletedAt = DeletedAt,
        PurgedAt = PurgedAt,
        ETag = ETag == default ? null : ETag,
    };

    /// <summary>The stored actor type; <c>Person</c> when it is unknown.</summary>
    public Accounts.ActorType ParseActorType() => Enum.TryParse<Accounts.ActorType>(ActorType, out var type) ? type : Accounts.ActorType.Person;
}
