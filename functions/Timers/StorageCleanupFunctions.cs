using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Storage that would otherwise grow without bound: the inbox's duplicate check and large activity payloads.</summary>
public sealed class StorageCleanupFunctions(InboxSeenWeeklyStore seen, PayloadStore payloads, TimeProvider time)
{
    /// <summary>Hourly at minute 43 (UTC): drops the duplicate-check tables of weeks before the previous one (usually nothing to do).</summary>
    [Function("InboxSeenCleanup")]
    public Task Run([TimerTrigger("0 43 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        seen.ExpireAsync(cancellationToken);

    /// <summary>Daily at 03:17 (UTC): deletes expired activity payloads (on Azure the lifecycle rule has usually done it already).</summary>
    [Function("PayloadCleanup")]
    public Task Payloads([TimerTrigger("0 17 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        payloads.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);
}
