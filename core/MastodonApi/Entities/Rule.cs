namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Rule (docs: entities/Rule).</summary>
public sealed record Rule(string Id, string Text, string Hint);
