using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Publishing scheduled statuses.</summary>
public sealed class ScheduledStatusPublishFunctions(ScheduledStatusService scheduled)
{
    /// <summary>Every minute at second 0 (UTC): publishes the statuses that are due, so none is more than a minute late.</summary>
    [Function("ScheduledStatusesPublish")]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        scheduled.PublishDueAsync(cancellationToken);
}
