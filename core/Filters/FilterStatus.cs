namespace ServerlessFedi.Filters;

/// <summary>A status a filter names (entities/FilterStatus).</summary>
public sealed record FilterStatus(string Id, string StatusId);
