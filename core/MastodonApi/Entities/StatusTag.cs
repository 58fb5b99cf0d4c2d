namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>A hashtag used in a status (docs: entities/Status#Tag).</summary>
public sealed record StatusTag(string Name, string Url);
