using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Media;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Periodic media housekeeping.</summary>
public sealed class MediaCleanupFunctions(MediaCleanUp media)
{
    /// <summary>Hourly at minute 17 (UTC): deletes uploads never attached to a status within a day, and media of deleted statuses a day after the deletion.</summary>
    [Function("MediaCleanup")]
    public Task Run([TimerTrigger("0 17 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        media.CleanUpAsync(cancellationToken);
}
