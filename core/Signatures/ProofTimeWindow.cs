namespace ServerlessFedi.Signatures;

/// <summary>
/// How old a FEP-8b32 proof may be when it alone admits an activity (relayed or forwarded under another actor's HTTP
/// signature, which is fresh whatever the activity's age): no older than the longest an HTTP signature is ever accepted
/// (<see cref="SignatureTimeWindow"/>: 12 hours plus the 1-hour clock skew margin), and not dated more than the skew margin
/// ahead. The proof signs its <c>created</c>, so a relay cannot make an old activity look new; within the window the inbox's
/// duplicate check recognises a replay.
/// </summary>
internal static class ProofTimeWindow
{
    public static readonly TimeSpan MaxAge = SignatureTimeWindow.ExpirationWindowLimit + SignatureTimeWindow.ClockSkewMargin;

    public static TimeSpan ClockSkewMargin => SignatureTimeWindow.ClockSkewMargin;

    /// <summary>Null when a proof created at <paramref name="created"/> may admit an activity at <paramref name="now"/>, else the reason.</summary>
    public static string? Check(DateTimeOffset? created, DateTimeOffset now) => created switch
    {
        null => "the proof has no created time, so the age of a relayed activity cannot be bounded",
        { } at when at > now + ClockSkewMargin => "the proof is dated in the future",
        { } at when now - at > MaxAge => "the proof is too old to admit a relayed activity",
        _ => null,
    };
}
