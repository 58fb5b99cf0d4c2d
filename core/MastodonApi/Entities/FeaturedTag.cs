namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// FeaturedTag as Mastodon's serializer writes it (docs: entities/FeaturedTag lists an integer and a datetime):
/// <c>statuses_count</c> is a string and <c>last_status_at</c> a date, so apps that decode Mastodon's answers decode ours.
/// </summary>
public sealed record FeaturedTag(string Id, string Name, string Url, string StatusesCount, DateOnly? LastStatusAt);
