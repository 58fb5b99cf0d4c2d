using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// The queue side of a local post. A guard that was not released (<see cref="PostGuardMessage"/>): the request that
/// created the post died after sending it, so the post is finished here (<see cref="StatusService.CompleteAsync"/>: each
/// step idempotent), and the request's audit row it carries is recorded if the post was stored (a post never stored
/// records nothing). The first message of a post's fan-out (<see cref="ApplyPostAsync"/>) records the request's audit row
/// and places the post in its author's home, which the request's answer does not show.
/// </summary>
public sealed class PostGuardProcessor(StatusService posting, StatusStore statuses, StatusSurface surface, Team.AuditStore audits, ILogger<PostGuardProcessor> logger)
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

    /// <summary>
    /// What the first message of a post's fan-out (a Create's: <see cref="FanoutMessage.StatusId"/> on page 0) does before
    /// the fan-out proper, each step idempotent however often the message runs: the request's audit row it carries
    /// (<see cref="FanoutMessage.Audit"/>), recorded once, then the post in its author's home unless it was deleted
    /// meanwhile. Nothing for any other message. Storage: 1 insert when it carries the row + 1 read + 1 upsert.
    /// </summary>
    public async Task ApplyPostAsync(FanoutMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Page != 0 || message.InboxFrom is not null)
        {
            return;
        }

        if (message.Audit is { } audit)
        {
            await audits.RecordAsync(audit, cancellationToken);
        }

        if (message.StatusId is { } statusId && await statuses.GetAsync(statusId, cancellationToken) is { IsLocal: true, DeletedAt: null } status && status.AccountId == message.SenderId)
        {
            await surface.PlaceInAuthorsHomeAsync(status, cancellationToken);
        }
    }
}
