namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[accounts]</c> (profile field limits since Mastodon 4.4).</summary>
public sealed record ConfigurationAccounts(int MaxFeaturedTags, int MaxPinnedStatuses, int MaxProfileFields, int ProfileFieldNameLimit, int ProfileFieldValueLimit);
