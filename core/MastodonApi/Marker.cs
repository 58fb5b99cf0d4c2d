namespace ServerlessFedi.MastodonApi;

/// <summary>A timeline's read position (entities/Marker).</summary>
public sealed record Marker(string Timeline, string LastReadId, long Version, DateTimeOffset UpdatedAt);
