using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFedi.Storage;

/// <summary>
/// Refuses table writes Azure would refuse (<see cref="TableLimits"/>) before they reach the storage emulator, with the
/// status and error code Azure answers (400 and <c>PropertyValueTooLarge</c>, <c>EntityTooLarge</c>, ...). Added to the
/// table clients only for Azurite, which stores such entities; against Azure the service itself refuses them.
/// Entity group transactions are checked entity by entity (each change set part carries one entity on one line).
/// </summary>
public sealed class TableLimitsPolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        if (request.Content is null || request.Method == RequestMethod.Get || request.Method == RequestMethod.Delete)
        {
            return;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, message.CancellationToken);
        var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var isBatch = request.Headers.TryGetValue("Content-Type", out var contentType) && contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
        var entities = isBatch
            ? body.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith('{'))
            : [body];
        foreach (var json in entities)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException)
            {
                continue; // not an entity: the service answers for it
            }

            using (document)
            {
                if (TableLimits.Check(document.RootElement) is var (code, reason))
                {
                    throw new RequestFailedException(400, $"{reason} (Azure Table storage refuses this entity; Azurite would store it)", code, null);
                }
            }
        }
    }
}
