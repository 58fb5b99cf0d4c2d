namespace ServerlessFedi.Federation;

/// <summary>One page of followers and the token of the next page (null on the last).</summary>
public sealed record FollowerPage(IReadOnlyList<Follower> Followers, string? ContinuationToken);
