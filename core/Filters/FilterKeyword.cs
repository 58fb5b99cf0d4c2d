namespace ServerlessFedi.Filters;

/// <summary>A keyword of a filter (entities/FilterKeyword).</summary>
public sealed record FilterKeyword(string Id, string Keyword, bool WholeWord);
