using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Operator visibility of failed work (see docs/DEPLOY.md, "Alerts").</summary>
public sealed class PoisonWatchFunctions(PoisonWatch watch)
{
    /// <summary>Every 5 minutes: a warning while any poison queue holds messages (5 queue reads a run, about 1,440 a day).</summary>
    [Function("PoisonQueueWatch")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        watch.CheckAsync(cancellationToken);
}
