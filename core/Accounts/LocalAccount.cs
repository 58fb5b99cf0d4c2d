namespace ServerlessFedi.Accounts;

/// <summary>A local account as stored. Never serialised onto the wire: the ActivityPub and Mastodon mappers convert it.</summary>
public sealed record LocalAccount
{
    public required string Id { get; init; }

    /// <summary>As the operator typed it; lookups are case-insensitive.</summary>
    public required string Username { get; init; }

    public string DisplayName { get; init; } = "";

    /// <summary>Bio as sanitised HTML.</summary>
    public string Note { get; init; } = "";

    public ActorType ActorType { get; init; } = ActorType.Person;

    public string? Email { get; init; }

    public required string PasswordHash { get; init; }

    public bool Locked { get; init; }

    public bool Discoverable { get; init; } = true;

    public bool Indexable { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastStatusAt { get; init; }

    public long StatusesCount { get; init; }

    public long FollowersCount { get; init; }

    public long FollowingCount { get; init; }

    public required string RsaPrivateKeyPem { get; init; }

    public required string RsaPublicKeyPem { get; init; }

    public required byte[] Ed25519PrivateKey { get; init; }

    public required byte[] Ed25519PublicKey { get; init; }

    /// <summary>Default visibility of new posts (Mastodon's <c>source[privacy]</c>): public, unlisted, private or direct.</summary>
    public string DefaultPrivacy { get; init; } = "public";

    /// <summary>Mark new posts sensitive by default (<c>source[sensitive]</c>).</summary>
    public bool DefaultSensitive { get; init; }

    /// <summary>Default language of new posts, ISO 639 (<c>source[language]</c>); null when unset.</summary>
    public string? DefaultLanguage { get; init; }

    /// <summary>Bio as the owner typed it (<c>source[note]</c>); null for accounts whose bio predates it.</summary>
    public string? NoteText { get; init; }

    /// <summary>Blob name of the avatar in the media container; null shows the default image.</summary>
    public string? AvatarBlob { get; init; }

    public string? AvatarContentType { get; init; }

    /// <summary>Blob name of the header in the media container; null shows the default image.</summary>
    public string? HeaderBlob { get; init; }

    public string? HeaderContentType { get; init; }

    /// <summary>Profile metadata (Mastodon's <c>fields</c>), plain text, at most <see cref="ProfileField.MaxFields"/>.</summary>
    public IReadOnlyList<ProfileField> Fields { get; init; } = [];

    public bool Bot => ActorType is ActorType.Service;

    /// <summary>
    /// Actor ids of the account's other accounts (ActivityStreams <c>alsoKnownAs</c>, Mastodon's account aliases): a
    /// <c>Move</c> from one of them to this account is accepted, and a server this account moves to checks the same list there.
    /// </summary>
    public IReadOnlyList<string> AlsoKnownAs { get; init; } = [];

    /// <summary>The actor id the account moved to (<c>movedTo</c>); null while it has not moved.</summary>
    public string? MovedTo { get; init; }

    /// <summary>When the account moved (<see cref="MovedTo"/> was set).</summary>
    public DateTimeOffset? MovedAt { get; init; }

    /// <summary>
    /// When the operator deleted the account: it is gone everywhere (410), but the row stays to keep the username reserved
    /// and the keys that sign the Delete. Null for live accounts.
    /// </summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>
    /// The stored row's ETag when the account was read from storage, so a counter can be merged on it without reading the
    /// row again (<see cref="AccountStore.AdjustCountersAsync(LocalAccount, long, DateTimeOffset?, CancellationToken)"/>); null when built in memory.
    /// </summary>
    public Azure.ETag? ETag { get; init; }

    /// <summary>When the deletion's queued removal (statuses, interactions, follows, deliveries of the Delete) finished.</summary>
    public DateTimeOffset? PurgedAt { get; init; }
}
