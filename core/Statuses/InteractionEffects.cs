using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Statuses;

/// <summary>
/// What a favourite or reblog of a local status causes beside its count: its author's notification, and for a local
/// account's favourite or boost the part left to the queue (<see cref="FavouriteMessage"/>, the Announce's fan-out
/// message's <see cref="LocalBoost"/>): the record (<c>favourited_by</c>, <c>reblogged_by</c>), the notification and the
/// counts on the author's list of statuses, none of which the request's answer shows.
/// </summary>
public sealed class InteractionEffects(StatusStore statuses, InteractionStore interactions, Notifier notifier, WorkQueue queue, Team.AuditStore audits)
{
    /// <summary>The local author's notification of <paramref name="sender"/>'s favourite or reblog (<see cref="Notifier"/>).</summary>
    public Task NotifyAsync(InteractionKind kind, string authorId, NotificationSender sender, string statusId, string activityId, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(authorId, kind == InteractionKind.Favourite ? NotificationType.Favourite : NotificationType.Reblog, sender, statusId, activityId, cancellationToken);

    /// <summary>
    /// A local account's favourite of a local status leaves its record, notification and copied counts to the queue, and
    /// with them the request's <paramref name="audit"/> row when given: 1 queue send.
    /// </summary>
    public Task QueueFavouriteAsync(NotificationSender sender, string statusId, string activityId, Team.PendingAudit? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return queue.SendFavouriteAsync(new FavouriteMessage(sender.AccountId, sender.ActorId, statusId, activityId, Audit: audit), cancellationToken);
    }

    /// <summary>
    /// The queue's part of a local favourite (<see cref="QueueFavouriteAsync"/>): the request's audit row when it carries
    /// one (the favourite was made, whatever happened since), then, unless it was undone meanwhile or the status is gone,
    /// the favourite's record (<c>favourited_by</c>: the request wrote only the account's mark), the author's notification
    /// (once per favourite), the count when the request died before it (<see cref="InteractionCountStore.ApplyAsync"/>),
    /// then the stored counts copied to the author's list, read after the count whichever of the request and the message
    /// counted it (the message may run before the request's count). Undone meanwhile, the record is deleted again and
    /// nothing else happens (<see cref="RecordAsync"/>).
    /// Storage: 1 insert (the audit row) + 1 insert (the record) + 1 read (the mark) + 1 read (the status) + the
    /// notification + 1 read (counted?) + 1 read and 1 merge (the copy).
    /// </summary>
    public Task ApplyFavouriteAsync(FavouriteMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ApplyAsync(InteractionKind.Favourite, new NotificationSender(message.ActorId, message.AccountId), message.StatusId, message.ActivityId, message.Audit, cancellationToken);
    }

    /// <summary>
    /// The queue's part of a local boost of a local status, carried by the first message of its Announce's fan-out
    /// (<see cref="FanoutMessage.Boost"/>; nothing for any other message): as <see cref="ApplyFavouriteAsync"/>, at the same cost.
    /// </summary>
    public Task ApplyBoostAsync(FanoutMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is { Page: 0, Boost: { } boost }
            ? ApplyAsync(InteractionKind.Reblog, new NotificationSender(boost.ActorId, message.SenderId), boost.StatusId, boost.AnnounceId, boost.Audit, cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Times the record is written again after a delete found the mark back (a favourite undone and made again meanwhile).</summary>
    private const int RecordAttempts = 5;

    private async Task ApplyAsync(InteractionKind kind, NotificationSender sender, string statusId, string activityId, Team.PendingAudit? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await audits.RecordAsync(audit, cancellationToken);
        }

        if (!await RecordAsync(kind, sender, statusId, activityId, cancellationToken)
            || await statuses.GetAsync(statusId, cancellationToken) is not { DeletedAt: null, IsLocal: true } status)
        {
            return;
        }

        await NotifyAsync(kind, status.AccountId, sender, status.Id, activityId, cancellationToken);
        if (!await interactions.Counts.IsCountedAsync(status.Id, kind, sender.ActorId, cancellationToken))
        {
            await interactions.Counts.ApplyAsync(status.Id, kind, sender.ActorId, +1, cancellationToken, copy: false);
        }

        await interactions.Counts.CopyAsync(status.Id, cancellationToken);
    }

    /// <summary>
    /// Writes the favourite's or reblog's record (<c>favourited_by</c>, <c>reblogged_by</c>, an edit's boosters; a
    /// conflict means written by an earlier run), then reads the account's mark, which the request wrote before sending
    /// this message: false when the mark is gone (undone meanwhile, or the account's content removed), with the record
    /// deleted again. Race-free against the Undo, which deletes the mark before the record
    /// (<see cref="InteractionStore.RemoveAsync"/>): either its record delete comes after this insert, or this read comes
    /// after its mark delete. The mark is read once more after this delete: a favourite made again meanwhile (its own
    /// message may have found this record and kept it) gets the record back. 1 insert + 1 read; undone + 1 delete + 1 read.
    /// </summary>
    private async Task<bool> RecordAsync(InteractionKind kind, NotificationSender sender, string statusId, string activityId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await interactions.RecordAsync(kind, statusId, sender.ActorId, sender.AccountId, activityId, cancellationToken);
            if (await interactions.IsMarkedAsync(kind, statusId, sender.AccountId, cancellationToken))
            {
                return true;
            }

            await interactions.DeleteRecordAsync(kind, statusId, sender.ActorId, cancellationToken);
            if (!await interactions.IsMarkedAsync(kind, statusId, sender.AccountId, cancellationToken))
            {
                return false;
            }

            if (attempt == RecordAttempts)
            {
                // The queue runs the message again: the record is not left deleted under a mark.
                throw new InvalidOperationException($"The {kind} of {statusId} by {sender.ActorId} was undone and made again {RecordAttempts} times while its record was written.");
            }
        }
    }
}
