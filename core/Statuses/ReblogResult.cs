namespace ServerlessFedi.Statuses;

/// <summary>What a boost did: the boosted status with its counts (or the error), and the id of the Announce that is the boost.</summary>
public sealed record ReblogResult(StatusResult Result, string? AnnounceId)
{
    /// <summary>The id of the boost's wrapper in the API's answer (Mastodon answers a boost as a status of the booster's), made at <paramref name="at"/>.</summary>
    public static string WrapperId(DateTimeOffset at, string announceId) => Storage.SnowflakeIds.ForRemote(at, at, announceId);
}
