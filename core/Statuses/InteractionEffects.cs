using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Statuses;

/// <summary>
/// What a favourite or reblog causes, exactly once however often it is applied: its record among the status's favourites
/// or reblogs (with the activity id), its local author's notification or, for a local account's action on a remote status,
/// the activity to the author's server, then the count (<see cref="InteractionCountStore"/>). A retry after a failure part
/// way finds it recorded but not counted and applies the effects again (the notification and the count each happen once).
/// Storage: 1 insert + the notification (<see cref="Notifier"/>) or the activity's queue send + the count; a repeat 1 failed insert + 1 read.
/// </summary>
public sealed class InteractionEffects(InteractionStore interactions, Notifier notifier, WorkQueue queue)
{
    /// <summary>
    /// Applies <paramref name="sender"/>'s <paramref name="kind"/> of <paramref name="status"/>; true when it was still to be
    /// applied. <paramref name="federate"/> (a local account's Like or Announce) runs after the notification, before the count.
    /// </summary>
    public async Task<bool> ApplyAsync(InteractionKind kind, Status status, NotificationSender sender, string activityId, Func<Task>? federate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(sender);
        var added = await interactions.AddAsync(kind, status.Id, sender.ActorId, sender.AccountId, null, activityId, cancellationToken);
        if (!added && await interactions.Counts.IsCountedAsync(status.Id, kind, sender.ActorId, cancellationToken))
        {
            return false;
        }

        // Its effects come before the count, so a counted one has had them.
        if (status.IsLocal)
        {
            var type = kind == InteractionKind.Favourite ? NotificationType.Favourite : NotificationType.Reblog;
            await notifier.NotifyAsync(status.AccountId, type, sender, status.Id, activityId, cancellationToken);
        }

        await (federate?.Invoke() ?? Task.CompletedTask);
        await interactions.Counts.ApplyAsync(status.Id, kind, sender.ActorId, +1, cancellationToken);
        return true;
    }

    /// <summary>A local account's favourite, left to the queue (<see cref="FavouriteMessage"/>): 1 queue send.</summary>
    public Task QueueFavouriteAsync(string accountId, string statusId, CancellationToken cancellationToken) =>
        queue.SendFavouriteAsync(new FavouriteMessage(accountId, statusId), cancellationToken);
}
