using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// Account (docs: entities/Account): a local account or a cached remote one. <see cref="Source"/> and <see cref="Role"/>
/// are the CredentialAccount attributes, present only when the owner asks about itself.
/// </summary>
public sealed record Account
{
    public required string Id { get; init; }

    public required string Username { get; init; }

    /// <summary>The username for local accounts, <c>username@domain</c> for remote ones.</summary>
    public required string Acct { get; init; }

    public required string DisplayName { get; init; }

    public bool Locked { get; init; }

    public bool Bot { get; init; }

    public bool Discoverable { get; init; }

    public bool Indexable { get; init; }

    public bool Group { get; init; }

    /// <summary>Midnight UTC of the day the account was created, as Mastodon rounds it.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public required string Note { get; init; }

    public required string Url { get; init; }

    public required string Uri { get; init; }

    public required string Avatar { get; init; }

    public required string AvatarStatic { get; init; }

    public required string Header { get; init; }

    public required string HeaderStatic { get; init; }

    public long FollowersCount { get; init; }

    public long FollowingCount { get; init; }

    public long StatusesCount { get; init; }

    /// <summary>A date without time (Mastodon's <c>last_status_at</c>).</summary>
    public DateOnly? LastStatusAt { get; init; }

    public bool HideCollections { get; init; }

    public bool Noindex { get; init; }

    public IReadOnlyList<CustomEmoji> Emojis { get; init; } = [];

    public IReadOnlyList<Role> Roles { get; init; } = [];

    public IReadOnlyList<Field> Fields { get; init; } = [];

    /// <summary>The account this one moved to (Mastodon's <c>moved</c>), itself without <c>moved</c>; absent when it has not moved.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Account? Moved { get; init; }

    /// <summary><c>true</c> for an account the operator suspended (its profile is then blanked); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Suspended { get; init; }

    /// <summary><c>true</c> for an account the operator silenced (Mastodon's <c>limited</c>); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Limited { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Source? Source { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Role? Role { get; init; }
}
