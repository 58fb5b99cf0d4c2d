namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[accounts]</c>.</summary>
public sealed record ConfigurationAccounts(int MaxFeaturedTags, int MaxPinnedStatuses);
