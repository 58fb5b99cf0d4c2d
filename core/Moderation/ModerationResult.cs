namespace ServerlessFedi.Moderation;

/// <summary>What a moderation action did: refused (<see cref="Error"/>), or done; a suspension's severing of follows is queued (<see cref="FollowSeverance"/>).</summary>
public sealed record ModerationResult(string? Error, bool SeveranceQueued = false)
{
    public bool Succeeded => Error is null;

    public static ModerationResult Refused(string error) => new(error);
}
