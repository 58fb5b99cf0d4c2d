using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// A post's guard that was not released (<see cref="PostGuardMessage"/>): the request that created the post died after
/// sending it, so the post is finished here (<see cref="StatusService.CompleteAsync"/>: each step idempotent).
/// </summary>
public sealed class PostGuardProcessor(StatusService posting, ILogger<PostGuardProcessor> logger)
{
    public async Task ProcessAsync(PostGuardMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogWarning("Finishing status {Status} of {Sender}: the request that created it did not release its guard", message.StatusId, message.SenderId);
        await posting.CompleteAsync(message.StatusId, cancellationToken);
    }
}
