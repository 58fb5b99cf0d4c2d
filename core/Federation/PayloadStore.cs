using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Activity payloads that do not fit a queue message (64 KiB, about 48 KiB after Base64) go to the <c>payloads</c>
/// container under the SHA-256 of their content, so writing one twice is harmless and messages carry only the name.
/// </summary>
public sealed class PayloadStore(StorageAccount account, FediOptions options)
{
    /// <summary>Largest activity kept inline in a message; leaves room for the envelope and Base64 growth.</summary>
    public const int InlineLimitBytes = 32 * 1024;

    private readonly ConcurrentDictionary<string, bool> _created = new();

    /// <summary>Returns (inline JSON, null) or (null, blob name).</summary>
    public async Task<(string? Inline, string? Blob)> StoreAsync(string activityJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activityJson);
        var bytes = Encoding.UTF8.GetBytes(activityJson);
        if (bytes.Length <= InlineLimitBytes)
        {
            return (activityJson, null);
        }

        var name = Convert.ToHexStringLower(SHA256.HashData(bytes)) + ".json";
        var container = await ContainerAsync(cancellationToken);
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Same content already stored.
        }

        return (null, name);
    }

    public async Task<string> LoadAsync(string? inline, string? blob, CancellationToken cancellationToken)
    {
        if (inline is not null)
        {
            return inline;
        }

        if (blob is null)
        {
            throw new InvalidDataException("The message carries neither an activity nor a payload reference.");
        }

        var container = await ContainerAsync(cancellationToken);
        var content = await container.GetBlobClient(blob).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToString();
    }

    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        var name = StorageNames.Queue(options.StoragePrefix, StorageNames.PayloadsContainer);
        var container = account.Blobs.GetBlobContainerClient(name);
        if (_created.TryAdd(name, true))
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        return container;
    }
}
