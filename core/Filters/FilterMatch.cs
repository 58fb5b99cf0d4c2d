namespace ServerlessFedi.Filters;

/// <summary>Why a filter applies to a status (entities/FilterResult): the keywords and filtered status ids that matched.</summary>
public sealed record FilterMatch(Filter Filter, IReadOnlyList<string> KeywordMatches, IReadOnlyList<string> StatusMatches);
