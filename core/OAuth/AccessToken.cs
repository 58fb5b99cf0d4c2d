namespace ServerlessFedi.OAuth;

/// <summary>A stored access token (its hash is the key; the token itself is never stored).</summary>
public sealed record AccessToken(string AccountId, IReadOnlyList<string> Scopes, string? ApplicationId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Description)
{
    /// <summary>A client_credentials token: it acts for the application, never for an account.</summary>
    public bool IsApplicationOnly => AccountId.Length == 0;
}
