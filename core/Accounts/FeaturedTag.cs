namespace ServerlessFedi.Accounts;

/// <summary>A hashtag featured on a local account's profile (entities/FeaturedTag), with what its statuses show.</summary>
public sealed record FeaturedTag(string Id, string Name, int StatusesCount, DateTimeOffset? LastStatusAt);
