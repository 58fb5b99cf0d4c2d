using Azure;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Push;

/// <summary>
/// Enqueues a push when a notification is created, only for accounts that have a subscription. Which accounts do is one
/// small set (<see cref="PushSubscriptionStore.ListRecipientsAsync"/>) kept in memory for <see cref="RecipientsLifetime"/>:
/// a notification costs no storage read, each process reads the set at most once per lifetime, and a subscription made
/// on another instance is seen within it (made on this one, at once).
/// Storage: 1 queue message per notification of a recipient; 1 range query per process per <see cref="RecipientsLifetime"/>.
/// </summary>
public sealed class PushTrigger(PushSubscriptionStore store, WorkQueue queue, TimeProvider time, ILogger<PushTrigger> logger)
{
    public static readonly TimeSpan RecipientsLifetime = TimeSpan.FromSeconds(30);

    private const string Key = "recipients";
    private readonly ExpiringCache<IReadOnlySet<string>> _recipients = new(RecipientsLifetime, 1, time);

    /// <summary>
    /// After notification <paramref name="notificationId"/> was written for <paramref name="accountId"/>. A failure to
    /// enqueue is logged, not thrown: the notification stands, and a retry of its cause would not notify (nor push) again.
    /// </summary>
    public async Task NotifiedAsync(string accountId, string notificationId, CancellationToken cancellationToken)
    {
        try
        {
            var recipients = await _recipients.GetOrLoadAsync(Key, () => store.ListRecipientsAsync(cancellationToken));
            if (recipients.Contains(accountId))
            {
                await queue.SendPushAsync(new PushMessage(accountId, notificationId), null, cancellationToken);
            }
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Push of notification {NotificationId} not enqueued", notificationId);
        }
    }

    /// <summary>A subscription was made in this process: the next notification reads the set again.</summary>
    public void Subscribed() => _recipients.Remove(Key);
}
