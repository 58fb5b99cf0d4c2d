namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>ExtendedDescription (docs: entities/ExtendedDescription).</summary>
public sealed record ExtendedDescription(DateTimeOffset UpdatedAt, string Content);
