using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>configuration[urls]</c> (v2; docs: entities/Instance#urls, <c>about</c>, <c>privacy_policy</c> and
/// <c>terms_of_service</c> since Mastodon 4.4). <c>streaming</c> is left out: this server has no streaming API, and an
/// advertised socket that never answers makes apps reconnect forever (docs/STREAMING.md). <c>terms_of_service</c> is null:
/// there are none to accept.
/// </summary>
public sealed record ConfigurationUrls
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Streaming { get; init; }

    public string? Status { get; init; }

    public required string About { get; init; }

    public required string PrivacyPolicy { get; init; }

    public string? TermsOfService { get; init; }
}
