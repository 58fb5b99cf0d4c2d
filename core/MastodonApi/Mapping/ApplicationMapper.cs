using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>OAuth applications onto the wire (docs: entities/Application).</summary>
public static class ApplicationMapper
{
    /// <summary>The Application; with <paramref name="clientSecret"/> the CredentialApplication answered once, at registration.</summary>
    public static Application ToApplication(OAuthApplication a, string? clientSecret = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new Application
        {
            Id = a.Id,
            Name = a.Name,
            Website = a.Website,
            Scopes = a.Scopes,
            RedirectUri = string.Join('\n', a.RedirectUris),
            RedirectUris = a.RedirectUris,
            ClientId = clientSecret is null ? null : a.ClientId,
            ClientSecret = clientSecret,
            ClientSecretExpiresAt = clientSecret is null ? null : 0,
        };
    }
}
