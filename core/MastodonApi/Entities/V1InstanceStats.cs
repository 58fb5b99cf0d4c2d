namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>stats</c> of V1_Instance.</summary>
public sealed record V1InstanceStats(long UserCount, long StatusCount, long DomainCount);
