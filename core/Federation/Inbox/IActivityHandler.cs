namespace ServerlessFedi.Federation.Inbox;

/// <summary>Applies one type of inbound activity, idempotently (a queue message may run more than once).</summary>
public interface IActivityHandler
{
    Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken);
}
