namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>usage[users]</c> of the Instance.</summary>
public sealed record InstanceUsageUsers(long ActiveMonth);
