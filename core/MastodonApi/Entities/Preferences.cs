using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Preferences (docs: entities/Preferences).</summary>
public sealed record Preferences(
    [property: JsonPropertyName("posting:default:visibility")] string PostingDefaultVisibility,
    [property: JsonPropertyName("posting:default:sensitive")] bool PostingDefaultSensitive,
    [property: JsonPropertyName("posting:default:language")] string? PostingDefaultLanguage,
    [property: JsonPropertyName("reading:expand:media")] string ReadingExpandMedia,
    [property: JsonPropertyName("reading:expand:spoilers")] bool ReadingExpandSpoilers);
