using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Notifications;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Push;

/// <summary>
/// The <c>push</c> queue's work: a notification pushed to each of the recipient's subscriptions whose alerts include its
/// type and whose policy admits its sender (docs: methods/push). The push service's answer decides (RFC 8030 §5, §8.3):
/// 404 and 410 mean the subscription is gone, so it is removed; 429 and 5xx (and no answer) are tried again through the
/// queue with <see cref="RetryPolicy"/>'s delays within the push's 48-hour life; other refusals are logged and dropped.
/// An account left without subscriptions loses its recipient mark. Storage: 1 range query (subscriptions) + 2 point reads
/// (notification, recipient) + <see cref="PushContent"/>'s + per pushed subscription 0-1 point read (policy) and 1 delete
/// when its service says it is gone.
/// </summary>
public sealed class PushDelivery(
    PushSubscriptionStore subscriptions,
    NotificationStore notifications,
    AccountStore accounts,
    PushContent content,
    PushSender sender,
    FollowingStore following,
    FollowerStore followers,
    WorkQueue queue,
    TimeProvider time,
    ILogger<PushDelivery> logger)
{
    public async Task ProcessAsync(PushMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var all = await subscriptions.ListAsync(message.AccountId, cancellationToken);
        if (all.Count == 0)
        {
            await ForgetRecipientAsync(message.AccountId, cancellationToken);
            return;
        }

        var targets = all.Where(s => message.TokenHash is null || s.TokenHash == message.TokenHash).ToList();
        var notification = await notifications.GetAsync(message.AccountId, message.NotificationId, cancellationToken);
        var age = notification is null ? TimeSpan.Zero : time.GetUtcNow() - notification.CreatedAt;
        if (targets.Count == 0 || notification is null || age > PushSender.TimeToLive)
        {
            return;
        }

        if (await accounts.GetByIdAsync(message.AccountId, cancellationToken) is not { DeletedAt: null } recipient)
        {
            // A deleted account's tokens are revoked; its subscriptions go with them.
            foreach (var gone in all)
            {
                await subscriptions.DeleteAsync(gone.AccountId, gone.TokenHash, cancellationToken);
            }

            return;
        }

        var type = NotificationMapper.TypeName(notification.Type);
        PushNotificationPayload? payload = null;
        foreach (var subscription in targets)
        {
            if (!subscription.Alerts.Contains(type) || !await AdmitsAsync(subscription.Policy, message.AccountId, notification.FromActorId, cancellationToken))
            {
                continue;
            }

            payload ??= await content.BuildAsync(recipient, notification, cancellationToken);
            if (payload is null)
            {
                return;
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(content.For(payload, subscription), PushJsonContext.Default.PushNotificationPayload);
            await SendAsync(message, subscription, json, age, cancellationToken);
        }
    }

    private async Task SendAsync(PushMessage message, PushSubscription subscription, byte[] json, TimeSpan age, CancellationToken cancellationToken)
    {
        int status;
        TimeSpan? retryAfter = null;
        try
        {
            var response = await sender.SendAsync(subscription, json, cancellationToken);
            status = response.Status;
            retryAfter = response.RetryAfter;
        }
        catch (RemoteFetchException e) when (e.IsPermanent)
        {
            logger.LogWarning("Push endpoint of subscription {SubscriptionId} refused ({Reason}); subscription removed", subscription.Id, e.Reason);
            await subscriptions.DeleteAsync(subscription.AccountId, subscription.TokenHash, cancellationToken);
            return;
        }
        catch (RemoteFetchException)
        {
            status = 0;
        }

        switch (status)
        {
            case >= 200 and <= 299:
                return;
            case 404 or 410:
                logger.LogInformation("Push subscription {SubscriptionId} expired at its push service ({Status}); removed", subscription.Id, status);
                await subscriptions.DeleteAsync(subscription.AccountId, subscription.TokenHash, cancellationToken);
                return;
            case 0 or 429 or >= 500:
                var attempt = message.Attempt + 1;
                if (RetryPolicy.NextDelay(attempt, age, message.NotificationId + subscription.TokenHash, retryAfter) is { } delay)
                {
                    await queue.SendPushAsync(message with { TokenHash = subscription.TokenHash, Attempt = attempt }, delay, cancellationToken);
                }
                else
                {
                    logger.LogWarning("Push of notification {NotificationId} to subscription {SubscriptionId} given up after {Attempts} attempts ({Status})", message.NotificationId, subscription.Id, attempt, status);
                }

                return;
            default:
                logger.LogWarning("Push of notification {NotificationId} to subscription {SubscriptionId} refused with {Status}; dropped", message.NotificationId, subscription.Id, status);
                return;
        }
    }

    /// <summary>Whether the subscription's <c>policy</c> admits the notification's sender: 0 or 1 point read.</summary>
    private async Task<bool> AdmitsAsync(PushPolicy policy, string accountId, string fromActorId, CancellationToken cancellationToken) => policy switch
    {
        PushPolicy.All => true,
        PushPolicy.Followed => await following.GetAsync(accountId, fromActorId, cancellationToken) is { State: FollowingStore.Accepted },
        PushPolicy.Follower => await followers.IsFollowerAsync(accountId, fromActorId, cancellationToken),
        _ => false,
    };

    /// <summary>Clears the mark of an account without subscriptions; puts it back if one was made meanwhile.</summary>
    private async Task ForgetRecipientAsync(string accountId, CancellationToken cancellationToken)
    {
        await subscriptions.RemoveRecipientAsync(accountId, cancellationToken);
        var made = await subscriptions.ListAsync(accountId, cancellationToken);
        if (made.Count > 0)
        {
            await subscriptions.PutAsync(made[0], cancellationToken);
        }
    }
}
