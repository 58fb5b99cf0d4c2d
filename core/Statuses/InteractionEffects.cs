using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Statuses;

/// <summary>
/// What a favourite or reblog of a local status causes beside its record and count: its author's notification, and for a
/// local account's favourite the part left to the queue (<see cref="FavouriteMessage"/>): the notification and the counts
/// on the author's list of statuses, which the request's answer does not show.
/// </summary>
public sealed class InteractionEffects(StatusStore statuses, InteractionStore interactions, Notifier notifier, WorkQueue queue)
{
    /// <summary>The local author's notification of <paramref name="sender"/>'s favourite or reblog (<see cref="Notifier"/>).</summary>
    public Task NotifyAsync(InteractionKind kind, string authorId, NotificationSender sender, string statusId, string activityId, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(authorId, kind == InteractionKind.Favourite ? NotificationType.Favourite : NotificationType.Reblog, sender, statusId, activityId, cancellationToken);

    /// <summary>A local account's favourite of a local status leaves its notification and copied counts to the queue: 1 queue send.</summary>
    public Task QueueFavouriteAsync(NotificationSender sender, string statusId, string activityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return queue.SendFavouriteAsync(new FavouriteMessage(sender.AccountId, sender.ActorId, statusId, activityId), cancellationToken);
    }

    /// <summary>
    /// The queue's part of a local favourite (<see cref="QueueFavouriteAsync"/>), unless it was undone meanwhile or the
    /// status is gone: the author's notification (once per favourite), the count when the request died before it
    /// (<see cref="InteractionCountStore.ApplyAsync"/>), then the stored counts copied to the author's list, read after the
    /// count whichever of the request and the message counted it (the message may run before the request's count).
    /// Storage: 1 read (the favourite's record) + 1 read (the status) + the notification + 1 read (counted?) + 1 read and
    /// 1 merge (the copy).
    /// </summary>
    public async Task ApplyFavouriteAsync(FavouriteMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await interactions.GetActivityIdAsync(InteractionKind.Favourite, message.StatusId, message.ActorId, cancellationToken) is null
            || await statuses.GetAsync(message.StatusId, cancellationToken) is not { DeletedAt: null, IsLocal: true } status)
        {
            return;
        }

        await NotifyAsync(InteractionKind.Favourite, status.AccountId, new NotificationSender(message.ActorId, message.AccountId), status.Id, message.ActivityId, cancellationToken);
        if (!await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Favourite, message.ActorId, cancellationToken))
        {
            await interactions.Counts.ApplyAsync(status.Id, InteractionKind.Favourite, message.ActorId, +1, cancellationToken, copy: false);
        }

        await interactions.Counts.CopyAsync(status.Id, cancellationToken);
    }
}
