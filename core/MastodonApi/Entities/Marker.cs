namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Marker (docs: entities/Marker): a timeline's last read position.</summary>
public sealed record Marker(string LastReadId, long Version, DateTimeOffset UpdatedAt);
