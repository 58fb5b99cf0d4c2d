namespace ServerlessFedi.OAuth;

/// <summary>A stored access token (its hash is the key; the token itself is never stored).</summary>
public sealed record AccessToken(string AccountId, IReadOnlyList<string> Scopes, string? ApplicationId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Description);
