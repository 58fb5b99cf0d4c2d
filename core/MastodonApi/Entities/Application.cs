using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// Application (docs: entities/Application). The client credentials (the CredentialApplication attributes) are present
/// only in the answer to registration, the one time the secret is shown.
/// </summary>
public sealed record Application
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The redirect URIs, one per line (deprecated in favour of <see cref="RedirectUris"/>).</summary>
    public required string RedirectUri { get; init; }

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>Web Push is not offered: empty.</summary>
    public string VapidKey { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecret { get; init; }

    /// <summary>0: the secret does not expire.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ClientSecretExpiresAt { get; init; }
}
