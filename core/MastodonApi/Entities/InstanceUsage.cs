namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>usage</c> of the Instance: <c>{"users": {"active_month": n}}</c>.</summary>
public sealed record InstanceUsage(InstanceUsageUsers Users);
