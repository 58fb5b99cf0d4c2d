using ServerlessFedi.ActivityPub;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Follow</c> of a local account (ActivityPub §7.5): refused with <c>Reject</c> when the account blocks the actor;
/// a request (and a <c>follow_request</c> notification) when the account is locked; else recorded, notified once and
/// answered with <c>Accept</c>, also when repeated (the follower's server may have missed our first Accept).
/// Storage: 1-2 reads (account) + actor (cached: 1 read, or none when this instance stored it) + the rule (the refusal
/// and the notification: <see cref="AccountHiding.StandingAsync"/>, 1 read) + 2 writes (follower) + counter + the
/// notification (1 batch). The answer is delivered at once (<see cref="DeliveryProcessor.DeliverNowAsync"/>: no queue
/// message unless the POST fails), after the follower is stored, so a retry of the inbox message after a crash answers again.
/// </summary>
public sealed class FollowHandler(
    AccountDirectory directory,
    RemoteActorResolver actors,
    FollowerStore followers,
    AccountHiding hiding,
    Notifier notifier,
    ActivityBuilder builder,
    ActivityPublisher publisher,
    DeliveryProcessor deliveries) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var actorId = activity.ActorId;
        var account = await directory.GetLocalByActorIdAsync(activity.ObjectId, cancellationToken);
        if (account is null)
        {
            return new ActivityOutcome.Ignored("its object is not a local account");
        }

        var follower = await actors.GetActorAsync(actorId, refresh: false, cancellationToken);
        if (follower is null)
        {
            return new ActivityOutcome.RetryLater($"cannot fetch follower {actorId}");
        }

        var followId = activity.Id ?? $"{actorId}#follows/{account.Id}";
        var standing = await hiding.StandingAsync(account.Id, actorId, cancellationToken);
        if (standing.Blocks)
        {
            await AnswerAsync(account, builder.RejectFollow(account, followId, actorId), follower.Inbox, cancellationToken);
            return ActivityOutcome.Done;
        }

        var from = NotificationSender.Remote(actorId);
        if (account.Locked && !await followers.IsFollowerAsync(account.Id, actorId, cancellationToken))
        {
            await followers.AddRequestAsync(account.Id, follower, followId, cancellationToken);
            await notifier.NotifyAsync(standing, account.Id, NotificationType.FollowRequest, from, null, followId, cancellationToken);
            return ActivityOutcome.Done;
        }

        // Notified before the follower is counted: a retry after a failure part way notifies (once) and counts.
        await followers.AddAsync(account, follower, followId, ct => notifier.NotifyAsync(standing, account.Id, NotificationType.Follow, from, null, followId, ct), cancellationToken);

        await AnswerAsync(account, builder.AcceptFollow(account, followId, actorId), follower.Inbox, cancellationToken);
        return ActivityOutcome.Done;
    }

    private async Task AnswerAsync(Accounts.LocalAccount account, System.Text.Json.Nodes.JsonObject answer, string inbox, CancellationToken cancellationToken) =>
        await deliveries.DeliverNowAsync(await publisher.DeliveryAsync(account, answer, inbox, cancellationToken), cancellationToken);
}
