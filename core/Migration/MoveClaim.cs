namespace ServerlessFedi.Migration;

/// <summary>What <see cref="MoveStore.ClaimAsync"/> found for a <c>Move</c> of an actor.</summary>
public enum MoveClaim
{
    /// <summary>No move of the actor within the cooldown: this one is recorded as in progress.</summary>
    Claimed,

    /// <summary>The same move is in progress and not yet queued (a redelivered message after a crash): go on.</summary>
    Resumed,

    /// <summary>The actor moved within <see cref="MoveStore.Cooldown"/> (to this target or another): nothing is done.</summary>
    CoolingDown,
}
