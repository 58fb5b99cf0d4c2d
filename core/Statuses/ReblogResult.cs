namespace ServerlessFedi.Statuses;

/// <summary>What a boost did: the boosted status with its counts (or the error), and the id of the Announce that is the boost.</summary>
public sealed record ReblogResult(StatusResult Result, string? AnnounceId);
