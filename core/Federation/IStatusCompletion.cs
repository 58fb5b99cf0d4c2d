namespace ServerlessFedi.Federation;

/// <summary>
/// Finishes a local post whose creating request may have died after storing it: timelines, notifications and the
/// fan-out, each idempotent. Called for a guard message (<see cref="FanoutMessage.CompletesStatus"/>) that the request
/// did not delete in time.
/// </summary>
public interface IStatusCompletion
{
    Task CompleteAsync(string statusId, CancellationToken cancellationToken);
}
