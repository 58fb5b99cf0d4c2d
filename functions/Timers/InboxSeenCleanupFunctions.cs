using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Periodic inbox housekeeping.</summary>
public sealed class InboxSeenCleanupFunctions(InboxSeenSweeper sweeper)
{
    /// <summary>Hourly at minute 43 (UTC): deletes expired duplicate-check rows, a bounded number per run.</summary>
    [Function("InboxSeenCleanup")]
    public Task Run([TimerTrigger("0 43 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
