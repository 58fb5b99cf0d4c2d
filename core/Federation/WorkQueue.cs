using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Storage.Queues;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Sends work messages as Base64 JSON (what the queue trigger expects). A queue is created on first use when missing.
/// A delay (visibility timeout, at most 7 days) is how retries wait: never a sleep in a function.
/// </summary>
public sealed class WorkQueue(StorageAccount account, FederationQueues queues)
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, bool> _known = new();

    public FederationQueues Names => queues;

    public Task SendInboxAsync(InboxMessage message, CancellationToken cancellationToken) =>
        SendInboxAsync(message, null, cancellationToken);

    /// <summary>An inbound activity that becomes visible after <paramref name="delay"/> (a retry).</summary>
    public Task SendInboxAsync(InboxMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Inbox, message, QueueJsonContext.Default.InboxMessage, delay, cancellationToken);

    /// <summary>An inbound activity whose retries are used up: kept in <c>&lt;inbox&gt;-poison</c> with its last failure.</summary>
    public Task SendInboxPoisonAsync(InboxMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Inbox + "-poison", message, QueueJsonContext.Default.InboxMessage, null, cancellationToken);

    public Task SendDeliveryAsync(DeliveryMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Deliver, message, QueueJsonContext.Default.DeliveryMessage, delay, cancellationToken);

    public Task SendFanoutAsync(FanoutMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Fanout, message, QueueJsonContext.Default.FanoutMessage, null, cancellationToken);

    /// <summary>What a local favourite of a local status leaves to the queue, on the fan-out queue, visible at once.</summary>
    public Task SendFavouriteAsync(FavouriteMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Fanout, message, QueueJsonContext.Default.FavouriteMessage, null, cancellationToken);

    /// <summary>A post's guard on the fan-out queue, invisible for <paramref name="delay"/>; the receipt lets the sender turn it into the post's fan-out before then.</summary>
    public Task<QueueReceipt> SendPostGuardAsync(PostGuardMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Fanout, message, QueueJsonContext.Default.PostGuardMessage, delay, cancellationToken);

    /// <summary>
    /// Turns a post's guard (<see cref="SendPostGuardAsync"/>, still invisible) into the first message of its fan-out: the
    /// content replaced and visible at once, in one update (its dequeue count stays 0, so the fan-out gets every attempt).
    /// False when the guard is gone or already taken (a receiver holds it under a new pop receipt): its delay ran out.
    /// </summary>
    public async Task<bool> UpdatePostGuardAsync(QueueReceipt guard, FanoutMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var text = JsonSerializer.Serialize(message, QueueJsonContext.Default.FanoutMessage);
        try
        {
            await account.Queues.GetQueueClient(queues.Fanout).UpdateMessageAsync(guard.MessageId, guard.PopReceipt, text, TimeSpan.Zero, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.BadRequest)
        {
            return false;
        }
    }

    public Task SendAccountDeletionAsync(AccountDeletionMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Accounts, message, QueueJsonContext.Default.AccountDeletionMessage, null, cancellationToken);

    public Task SendMoveFollowersAsync(ServerlessFedi.Migration.MoveFollowersMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Accounts, message, QueueJsonContext.Default.MoveFollowersMessage, null, cancellationToken);

    public Task SendSeveranceAsync(ServerlessFedi.Moderation.SeveranceMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Accounts, message, QueueJsonContext.Default.SeveranceMessage, null, cancellationToken);

    public Task SendMediaAsync(ServerlessFedi.Media.MediaMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Media, message, QueueJsonContext.Default.MediaMessage, null, cancellationToken);

    /// <summary>A media message that becomes visible after <paramref name="delay"/>.</summary>
    public Task SendMediaAsync(ServerlessFedi.Media.MediaMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Media, message, QueueJsonContext.Default.MediaMessage, delay, cancellationToken);

    /// <summary>A Web Push to send, after <paramref name="delay"/> when a push service asked to retry.</summary>
    public Task SendPushAsync(ServerlessFedi.Push.PushMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Push, message, QueueJsonContext.Default.PushMessage, delay, cancellationToken);

    /// <summary>A delivery the retry policy gave up on: kept in <c>&lt;deliver&gt;-poison</c> for inspection and replay.</summary>
    /// <summary>A status's card request on the media queue (<see cref="ServerlessFedi.Cards.CardMessage"/>), visible after <paramref name="delay"/> when given.</summary>
    public Task SendCardAsync(ServerlessFedi.Cards.CardMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(queues.Media, message, QueueJsonContext.Default.CardMessage, delay, cancellationToken);

    public Task SendDeliveryPoisonAsync(DeliveryMessage message, CancellationToken cancellationToken) =>
        SendAsync(queues.Deliver + "-poison", message, QueueJsonContext.Default.DeliveryMessage, null, cancellationToken);

    private async Task<QueueReceipt> SendAsync<T>(string queueName, T message, JsonTypeInfo<T> typeInfo, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = account.Queues.GetQueueClient(queueName);
        var text = JsonSerializer.Serialize(message, typeInfo);
        var visibility = delay is { } d ? (d > MaxDelay ? MaxDelay : d < TimeSpan.Zero ? TimeSpan.Zero : d) : (TimeSpan?)null;
        if (_known.TryAdd(queueName, true))
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        Azure.Storage.Queues.Models.SendReceipt receipt;
        try
        {
            receipt = await queue.SendMessageAsync(text, visibility, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            receipt = await queue.SendMessageAsync(text, visibility, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
        }

        return new QueueReceipt(receipt.MessageId, receipt.PopReceipt);
    }
}
