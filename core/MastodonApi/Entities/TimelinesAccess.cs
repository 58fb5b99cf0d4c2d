namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>configuration[timelines_access]</c> (docs: entities/Instance, Mastodon 4.5): who may read each kind of feed,
/// <c>public</c>, <c>authenticated</c> or <c>disabled</c>.
/// </summary>
public sealed record TimelinesAccess(FeedAccess LiveFeeds, FeedAccess HashtagFeeds, FeedAccess TrendingLinkFeeds);
