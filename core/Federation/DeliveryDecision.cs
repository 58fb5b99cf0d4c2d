namespace ServerlessFedi.Federation;

/// <summary>What an attempt of a delivery sends (<see cref="DeliveryRecheck"/>): the activity, or nothing and why.</summary>
public abstract record DeliveryDecision
{
    private DeliveryDecision()
    {
    }

    /// <summary>POST <paramref name="Json"/>: the queued activity, or the current version of the status it was about.</summary>
    public sealed record Send(string Json) : DeliveryDecision;

    /// <summary>Send nothing: what the activity says is no longer true (<paramref name="Reason"/> is for the log).</summary>
    public sealed record Drop(string Reason) : DeliveryDecision;
}
