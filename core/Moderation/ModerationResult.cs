namespace ServerlessFedi.Moderation;

/// <summary>What a moderation action did: refused (<see cref="Error"/>), or done with the follows it severed.</summary>
public sealed record ModerationResult(string? Error, int FollowersRemoved = 0, int FollowsRemoved = 0)
{
    public bool Succeeded => Error is null;

    public static ModerationResult Refused(string error) => new(error);
}
