using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// One signed POST of an activity to one inbox. 2xx is done; a permanent refusal is logged and dropped; anything else is
/// retried by a new message delayed by <see cref="RetryPolicy"/>, and when the policy gives up the message goes to the
/// poison queue, where <c>admin queues poison</c> shows it and <c>admin queues replay</c> re-sends it.
/// Storage: 2 reads (host health, sender account) + 1 delete (host health, a 404 when healthy); on failure + 1 read,
/// 1 upsert and 1 send. See docs/PERFORMANCE.md for measured counts.
/// </summary>
public sealed class DeliveryProcessor(
    AccountStore accounts,
    InstanceActorSigner instanceSigner,
    RemoteClient client,
    PayloadStore payloads,
    WorkQueue queue,
    DeliveryHealth health,
    InstanceUrls urls,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger)
{
    public const string ActivityContentType = "application/activity+json";

    public async Task ProcessAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Uri.TryCreate(message.Inbox, UriKind.Absolute, out var inbox))
        {
            logger.LogWarning("Dropped delivery to malformed inbox {Inbox}", message.Inbox);
            return;
        }

        if (await health.IsUnavailableAsync(inbox.Host, cancellationToken))
        {
            logger.LogInformation("Skipped delivery to {Host}: failing for more than {Days} days", inbox.Host, DeliveryHealth.UnavailableAfter.TotalDays);
            return;
        }

        var (signer, senderDeleted) = await SignerAsync(message.SenderId, cancellationToken);
        if (signer is null)
        {
            logger.LogWarning("Dropped delivery from unknown sender {Sender}", message.SenderId);
            return;
        }

        var json = await payloads.LoadAsync(message.Activity, message.PayloadBlob, cancellationToken);
        if (senderDeleted && !IsDelete(json))
        {
            // A deleted account sends nothing but Deletes (a post queued before the deletion must not reappear after it).
            logger.LogInformation("Dropped delivery of a deleted account's activity to {Inbox}", message.Inbox);
            return;
        }

        var body = System.Text.Encoding.UTF8.GetBytes(json);
        DeliveryOutcome outcome;
        TimeSpan? retryAfter = null;
        string reason;
        try
        {
            var response = await client.PostAsync(inbox, body, ActivityContentType, signer, cancellationToken);
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
                await health.RecordSuccessAsync(inbox.Host, cancellationToken);
                return;
            case DeliveryOutcome.Refused:
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

    private async Task<(IRequestSigner? Signer, bool Deleted)> SignerAsync(string senderId, CancellationToken cancellationToken)
    {
        if (senderId == DeliveryMessage.InstanceSender)
        {
            return (await instanceSigner.GetAsync(cancellationToken), false);
        }

        // A deleted account keeps its keys so that its Delete can be signed with the key peers cached.
        var account = await accounts.GetByIdIncludingDeletedAsync(senderId, cancellationToken);
        return account is null
            ? (null, false)
            : (new SigningKeySigner(new SigningKey(urls.ActorKey(account.Username), account.RsaPrivateKeyPem), time), account.DeletedAt is not null);
    }

    private static bool IsDelete(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return ActorDocumentParser.TypeOf(doc.RootElement) == "Delete";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
