namespace ServerlessFedi.OAuth;

/// <summary>
/// A granted authorization code (RFC 6749 §4.1.2) as stored: bound to the client, redirect URI, scopes, account and the
/// PKCE challenge (RFC 7636), and the staff member who logged in for the account (null for its own login); the code
/// itself is never stored.
/// </summary>
public sealed record AuthorizationCode(
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string AccountId,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset ExpiresAt,
    string? Staff = null);
