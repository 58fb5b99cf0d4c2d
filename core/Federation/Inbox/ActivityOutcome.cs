namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// What applying an inbound activity came to. <see cref="Applied"/> and <see cref="Ignored"/> end the message;
/// <see cref="RetryLater"/> asks for the message again later (a delayed new message, see <see cref="InboxProcessor.RunAsync"/>).
/// </summary>
public abstract record ActivityOutcome
{
    private ActivityOutcome()
    {
    }

    public static ActivityOutcome Done { get; } = new Applied();

    /// <summary>Its effects are stored (or were already: every handler is idempotent).</summary>
    public sealed record Applied : ActivityOutcome;

    /// <summary>Nothing to do here, for <see cref="Reason"/> (logged); the sender is not told.</summary>
    public sealed record Ignored(string Reason) : ActivityOutcome;

    /// <summary>Something it needs is not available now (a remote actor or object could not be fetched).</summary>
    public sealed record RetryLater(string Reason) : ActivityOutcome;
}
