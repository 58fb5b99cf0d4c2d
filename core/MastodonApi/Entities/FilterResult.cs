namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>FilterResult (docs: entities/FilterResult): a filter that matched a status, with what matched (null when nothing of that kind did).</summary>
public sealed record FilterResult(Filter Filter, IReadOnlyList<string>? KeywordMatches, IReadOnlyList<string>? StatusMatches);
