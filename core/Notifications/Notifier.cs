using ServerlessFedi.Federation;
using ServerlessFedi.Push;

namespace ServerlessFedi.Notifications;

/// <summary>
/// The one rule for notifying a local account, for every type and for local and remote senders alike (Mastodon's
/// <c>NotifyService</c>): nobody is notified of their own doing, nor by an account they block or mute, nor by a server
/// they blocked (<see cref="AccountHiding"/>), but the author of a poll of its own poll's end (as Mastodon); a cause notifies once. The same rule hides such notifications when they
/// are listed (<see cref="ShownToAsync"/>), for those written before a block or mute. Nor is anybody notified about a
/// status in a conversation they muted (<see cref="ServerlessFedi.Statuses.ConversationMutes"/>).
/// Storage: the rule's reads (<see cref="AccountHiding.StandingAsync"/>: 1 point read when this process knows the
/// recipient's lists under their current version) + 1 entity group transaction when it notifies; + the
/// conversation check (nothing for a recipient without muted conversations, whose empty set is cached); +1 queue message
/// when the recipient has a push subscription (<see cref="PushTrigger"/>).
/// </summary>
public sealed class Notifier(NotificationStore notifications, AccountHiding hiding, ServerlessFedi.Statuses.ConversationMutes conversationMutes, PushTrigger? push = null)
{
    /// <summary>Notifies <paramref name="recipientId"/> unless the rule forbids it or the cause already did.</summary>
    public async Task<NotificationOutcome> NotifyAsync(string recipientId, NotificationType type, NotificationSender from, string? statusId, string causeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        return from.AccountId == recipientId && type != NotificationType.Poll
            ? NotificationOutcome.Self
            : await NotifyAsync(await hiding.StandingAsync(recipientId, from.ActorId, cancellationToken), recipientId, type, from, statusId, causeId, cancellationToken);
    }

    /// <summary>As <see cref="NotifyAsync(string, NotificationType, NotificationSender, string?, string, CancellationToken)"/>, for a caller that read the recipient's <paramref name="standing"/> towards the sender already.</summary>
    public async Task<NotificationOutcome> NotifyAsync(SenderStanding standing, string recipientId, NotificationType type, NotificationSender from, string? statusId, string causeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standing);
        ArgumentNullException.ThrowIfNull(from);
        if (from.AccountId == recipientId && type != NotificationType.Poll)
        {
            return NotificationOutcome.Self;
        }

        if (standing.Hides)
        {
            return NotificationOutcome.Hidden;
        }

        if (statusId is not null && type is not (NotificationType.Follow or NotificationType.FollowRequest)
            && await conversationMutes.MutesAsync(recipientId, statusId, cancellationToken))
        {
            return NotificationOutcome.MutedConversation;
        }

        if (await notifications.AddAsync(recipientId, type, from.ActorId, statusId, causeId, cancellationToken) is not { } id)
        {
            return NotificationOutcome.AlreadyNotified;
        }

        await (push?.NotifiedAsync(recipientId, id, cancellationToken) ?? Task.CompletedTask);
        return NotificationOutcome.Notified;
    }

    /// <summary>Which stored notifications <paramref name="accountId"/> is shown: those whose sender it does not hide (3 range queries).</summary>
    public async Task<Func<Notification, bool>> ShownToAsync(string accountId, CancellationToken cancellationToken)
    {
        var hidden = await hiding.ListAsync(accountId, cancellationToken);
        return n => !hidden.HidesActor(n.FromActorId);
    }
}
