namespace ServerlessFedi.OAuth;

/// <summary>
/// A stored access token (its hash is the key; the token itself is never stored). <paramref name="Staff"/> names the staff
/// member of the account who logged in (team access); null for the account's own login.
/// </summary>
public sealed record AccessToken(string AccountId, IReadOnlyList<string> Scopes, string? ApplicationId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Description, string? Staff = null)
{
    /// <summary>A client_credentials token: it acts for the application, never for an account.</summary>
    public bool IsApplicationOnly => AccountId.Length == 0;
}
