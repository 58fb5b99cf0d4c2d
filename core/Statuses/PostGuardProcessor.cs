using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// The queue side of a local post. A guard that was not released (<see cref="PostGuardMessage"/>): the request that
/// created the post died after sending it, so the post is finished here (<see cref="StatusService.CompleteAsync"/>: each
/// step idempotent), and the request's audit row it carries is recorded if the post was stored (a post never stored
/// records nothing). The first message of a post's fan-out records the request's audit row and places the post in its
/// timelines instead (<see cref="Federation.FanoutProcessor"/>); the guard's completion sends that fan-out too.
/// </summary>
public sealed class PostGuardProcessor(StatusService posting, Team.AuditStore audits, ILogger<PostGuardProcessor> logger)
{
    /// <summary>Finishes the guarded post. Storage: <see cref="StatusService.CompleteAsync"/> + 1 insert (the audit row, once).</summary>
    public async Task ProcessAsync(PostGuardMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogWarning("Finishing status {Status} of {Sender}: the request that created it did not release its guard", message.StatusId, message.SenderId);
        if (await posting.CompleteAsync(message.StatusId, cancellationToken) && message.Audit is { } audit)
        {
            await audits.RecordAsync(audit, cancellationToken);
        }
    }
}
