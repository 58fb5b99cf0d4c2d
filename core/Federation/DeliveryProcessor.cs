using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// One signed POST of an activity to one inbox. 2xx is done; a permanent refusal is logged and dropped; anything else is
/// retried by a new message delayed by <see cref="RetryPolicy"/>, and when the policy gives up the message goes to the
/// poison queue, where <c>admin queues poison</c> shows it and <c>admin queues replay</c> re-sends it. Each attempt sends
/// what is still true (<see cref="DeliveryRecheck"/>); a delivery this process completed is not POSTed again when its
/// message reappears (<see cref="DeliveredLedger"/>); health records never fail a delivery (<see cref="DeliveryHealth"/>).
/// Storage, beyond the trigger's receive and delete: none in the steady state (the sender, the status and the failing
/// hosts are in memory: 1 read per sender per 5 minutes, per status per 15 s, and of the failing hosts per minute, per
/// process), + 1 blob read per large payload per process per 5 minutes (<see cref="PayloadStore"/>); a retry attempt
/// + 2 reads (sender, status); a failure + 1 queue send and 1 upsert when the host was not failing yet (then at most 1 a
/// minute). See docs/PERFORMANCE.md for measured counts. CPU per delivery beyond the RSA signature and the POST: the
/// activity's UTF-8 body and its ledger hash are made once per activity string (a fan-out page shares one), not per inbox.
/// </summary>
public sealed class DeliveryProcessor(
    DeliverySigners signers,
    DeliveryRecheck recheck,
    DeliveredLedger ledger,
    RemoteClient client,
    PayloadStore payloads,
    WorkQueue queue,
    DeliveryHealth health,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger)
{
    public const string ActivityContentType = "application/activity+json";

    /// <summary>
    /// The UTF-8 body of each activity string, kept while the string lives: a fan-out page's deliveries send one string
    /// (and a payload is one string per process, <see cref="PayloadStore"/>), so it is encoded once per page, not per inbox.
    /// </summary>
    private readonly ConditionalWeakTable<string, byte[]> _bodies = new();

    /// <summary>
    /// A first attempt made outside the delivery queue (a fan-out page's inboxes, the answer to an inbound <c>Follow</c>):
    /// as <see cref="ProcessAsync"/>, whose failures queue their retry; a delivery that throws (storage, network) is queued
    /// instead, so it never fails its caller. Storage: as <see cref="ProcessAsync"/> (+1 queue send when it throws).
    /// </summary>
    public async Task DeliverNowAsync(DeliveryMessage delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            await ProcessAsync(delivery, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException)
        {
            logger.LogWarning(ex, "Delivery to {Inbox} made at once failed; queued instead", delivery.Inbox);
            await queue.SendDeliveryAsync(delivery, null, cancellationToken);
        }
    }

    public async Task ProcessAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(message.Inbox, UriKind.Absolute, out var inbox))
        {
            logger.LogWarning("Dropped delivery to malformed inbox {Inbox}", message.Inbox);
            return;
        }

        if (ledger.WasDelivered(message))
        {
            logger.LogInformation("Skipped delivery to {Inbox}: this process delivered it minutes ago (its queue message reappeared)", message.Inbox);
            return;
        }

        if (await health.IsUnavailableAsync(inbox.Host, cancellationToken))
        {
            logger.LogInformation("Skipped delivery to {Host}: failing for more than {Days} days", inbox.Host, DeliveryHealth.UnavailableAfter.TotalDays);
            return;
        }

        // A retry comes minutes to hours later: the sender and the status are read afresh, the first attempt trusts the process's memory.
        var retry = message.Attempt > 1;
        var sender = await signers.GetAsync(message.SenderId, fresh: retry, cancellationToken);
        if (sender is null)
        {
            logger.LogWarning("Dropped delivery from unknown sender {Sender}", message.SenderId);
            return;
        }

        string queued;
        try
        {
            queued = await payloads.LoadAsync(message.Activity, message.PayloadBlob, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404 && message.PayloadBlob is not null)
        {
            logger.LogWarning("Dropped delivery to {Inbox}: its payload {Blob} has expired", message.Inbox, message.PayloadBlob);
            return;
        }

        var decision = await recheck.CheckAsync(message, sender, queued, fresh: retry, cancellationToken);
        if (decision is DeliveryDecision.Drop drop)
        {
            logger.LogInformation("Dropped delivery to {Inbox}: {Reason}", message.Inbox, drop.Reason);
            return;
        }

        var body = _bodies.GetValue(((DeliveryDecision.Send)decision).Json, System.Text.Encoding.UTF8.GetBytes);
        DeliveryOutcome outcome;
        TimeSpan? retryAfter = null;
        string reason;
        try
        {
            var response = await client.PostAsync(inbox, body, ActivityContentType, sender.Signer, cancellationToken);
            outcome = DeliveryClassifier.Classify(response.Status);
            retryAfter = response.RetryAfter;
            reason = $"HTTP {response.Status}";
        }
        catch (RemoteFetchException ex)
        {
            outcome = ex.IsPermanent ? DeliveryOutcome.Refused : DeliveryOutcome.Retry;
            reason = ex.Message;
        }

        switch (outcome)
        {
            case DeliveryOutcome.Delivered:
                ledger.RecordDelivered(message);
                await health.RecordSuccessAsync(inbox.Host, cancellationToken);
                return;
            case DeliveryOutcome.Refused:
                ledger.RecordDelivered(message);
                logger.LogWarning("Delivery to {Inbox} refused for good: {Reason}", message.Inbox, reason);
                return;
            case DeliveryOutcome.Retry:
                await health.RecordFailureAsync(inbox.Host, reason, cancellationToken);
                var delay = RetryPolicy.NextDelay(message.Attempt, time.GetUtcNow() - message.FirstAttemptAt, message.Inbox + "|" + ServerlessFedi.Storage.StorageKeys.Sha256Hex(message.Activity ?? message.PayloadBlob ?? ""), retryAfter);
                if (delay is null)
                {
                    logger.LogError("Delivery to {Inbox} failed {Attempts} times ({Reason}); moved to the poison queue", message.Inbox, message.Attempt, reason);
                    await queue.SendDeliveryPoisonAsync(message, cancellationToken);
                    return;
                }

                logger.LogInformation("Delivery to {Inbox} failed ({Reason}); attempt {Next} in {Delay}", message.Inbox, reason, message.Attempt + 1, delay);
                await queue.SendDeliveryAsync(message with { Attempt = message.Attempt + 1 }, delay, cancellationToken);
                return;
        }
    }
}
