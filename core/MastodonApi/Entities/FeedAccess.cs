namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Access to the local and the remote part of one kind of feed in <see cref="TimelinesAccess"/>.</summary>
public sealed record FeedAccess(string Local, string Remote);
