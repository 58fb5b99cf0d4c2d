namespace ServerlessFedi.Accounts;

/// <summary>What the public directory shows of a local account: profile columns only, never keys or credentials.</summary>
public sealed record DirectoryEntry(
    string Id,
    string Username,
    string DisplayName,
    string Note,
    ActorType ActorType,
    long StatusesCount,
    long FollowersCount);
