using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;
using ServerlessFedi.Media;

namespace ServerlessFedi.Functions.Queues;

/// <summary>
/// The <c>media</c> queue (<c>%FediMediaQueue%</c>): video and audio uploaded through <c>POST /api/v2/media</c> are
/// stripped and stored here, and statuses get the preview cards of their links (<see cref="ServerlessFedi.Cards.CardMessage"/>). A thrown exception makes the host retry, then move the message to <c>&lt;queue&gt;-poison</c>.
/// </summary>
public sealed class MediaQueueFunctions(QueuedMediaProcessor processor, ServerlessFedi.Cards.LinkCards cards)
{
    [Function("MediaQueue")]
    public Task Media([QueueTrigger("%FediMediaQueue%")] string message, CancellationToken cancellationToken) =>
        ServerlessFedi.Cards.CardMessage.TryParse(message) is { } card
            ? cards.ProcessAsync(card, cancellationToken)
            : processor.ProcessAsync(JsonSerializer.Deserialize(message, QueueJsonContext.Default.MediaMessage) ?? throw new JsonException("empty queue message"), cancellationToken);
}
