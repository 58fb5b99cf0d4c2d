namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>FilterKeyword (docs: entities/FilterKeyword).</summary>
public sealed record FilterKeyword(string Id, string Keyword, bool WholeWord);
