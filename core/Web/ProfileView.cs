namespace ServerlessFedi.Web;

/// <summary>A local account as its profile page shows it (h-card).</summary>
public sealed record ProfileView
{
    public required string Username { get; init; }

    public required string DisplayName { get; init; }

    /// <summary><c>@user@domain</c>, the handle to copy into another server's search.</summary>
    public required string Handle { get; init; }

    public required string ProfileUrl { get; init; }

    public required string ActorUrl { get; init; }

    public required string AvatarUrl { get; init; }

    public required string HeaderUrl { get; init; }

    public required IReadOnlyList<TextBlock> Bio { get; init; }

    /// <summary>Profile metadata (name, value); empty until accounts store fields.</summary>
    public IReadOnlyList<(string Name, string Value)> Fields { get; init; } = [];

    public long StatusesCount { get; init; }

    public long FollowingCount { get; init; }

    public long FollowersCount { get; init; }

    public bool Bot { get; init; }

    public bool Locked { get; init; }

    public required string RemoteFollowUrl { get; init; }

    /// <summary>The actor URL of the account this one moved to (<c>movedTo</c>); null while it has not moved.</summary>
    public string? MovedTo { get; init; }
}
