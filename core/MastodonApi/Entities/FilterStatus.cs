namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>FilterStatus (docs: entities/FilterStatus).</summary>
public sealed record FilterStatus(string Id, string StatusId);
