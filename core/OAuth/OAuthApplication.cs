namespace ServerlessFedi.OAuth;

/// <summary>A registered OAuth client (docs: entities/Application). Only the SHA-256 of its secret is kept.</summary>
public sealed record OAuthApplication(
    string Id,
    string ClientId,
    string Name,
    string? Website,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> RedirectUris,
    string SecretHash,
    DateTimeOffset CreatedAt);
