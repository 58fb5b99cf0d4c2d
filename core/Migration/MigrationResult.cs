namespace ServerlessFedi.Migration;

/// <summary>What an alias change or a move did: <see cref="Error"/> when nothing changed, else the actor id it concerned.</summary>
public sealed record MigrationResult(string? Error, string? ActorId = null, bool Changed = true)
{
    public bool Succeeded => Error is null;

    public static MigrationResult Refused(string error) => new(error);
}
