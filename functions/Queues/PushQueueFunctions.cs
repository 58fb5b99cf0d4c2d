using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;
using ServerlessFedi.Push;

namespace ServerlessFedi.Functions.Queues;

/// <summary>
/// The <c>push</c> queue (<c>%FediPushQueue%</c>): a notification's Web Push to the recipient's subscriptions. Retries the
/// push service asks for come back as new delayed messages; a thrown exception (storage) makes the host retry, then poison.
/// </summary>
public sealed class PushQueueFunctions(PushDelivery delivery)
{
    [Function("PushQueue")]
    public Task Push([QueueTrigger("%FediPushQueue%")] string message, CancellationToken cancellationToken) =>
        delivery.ProcessAsync(JsonSerializer.Deserialize(message, QueueJsonContext.Default.PushMessage) ?? throw new JsonException("empty queue message"), cancellationToken);
}
