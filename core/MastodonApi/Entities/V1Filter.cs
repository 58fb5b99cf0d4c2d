namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The v1 Filter (docs: entities/V1_Filter): one per keyword of a v2 filter, with the keyword's id.</summary>
public sealed record V1Filter(string Id, string Phrase, IReadOnlyList<string> Context, bool WholeWord, DateTimeOffset? ExpiresAt, bool Irreversible);
