using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Activity payloads that do not fit a queue message (64 KiB, 48 KiB of JSON before Base64) go to the <c>payloads</c>
/// container under the SHA-256 of their content, so writing one twice is harmless and messages carry only the name.
/// A payload is needed while a message naming it may still run: at most the two days of delivery retries
/// (<see cref="RetryPolicy.MaxTotal"/>), or for as long as an operator keeps a poisoned message to replay. After
/// <see cref="Retention"/> it is deleted: by the storage account's lifecycle rule on Azure (<c>bicep/modules/storage.bicep</c>),
/// and by <see cref="DeleteExpiredAsync"/> everywhere (Azurite has no lifecycle management).
/// A payload read is kept in memory for <see cref="LoadedLifetime"/> (names are content hashes, so a kept copy is never
/// stale): a fan-out page's deliveries of one large activity read its blob once per process, not once per inbox.
/// </summary>
public sealed class PayloadStore(StorageAccount account, FediOptions options, TimeProvider time)
{
    /// <summary>How long a payload read stays in memory; at most <see cref="LoadedCapacity"/> of them (each over <see cref="InlineLimitBytes"/>, typically tens of KB).</summary>
    public static readonly TimeSpan LoadedLifetime = TimeSpan.FromMinutes(5);

    public const int LoadedCapacity = 32;

    /// <summary>Seven times the delivery retry window: a poisoned message keeps its payload for replay for about 12 days.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    /// <summary>
    /// Largest activity kept inline in a message, counted as the message carries it: JSON-escaped by the queue
    /// serialiser (which writes non-ASCII characters, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c> and <c>+</c> as
    /// <c>\uXXXX</c>: six bytes for a <c>ü</c>, so 31 KB of German HTML is 60 KB), before Base64. The other 16 KiB of the
    /// 48 KiB hold the envelope (inbox URL, actor ids).
    /// </summary>
    public const int InlineLimitBytes = 32 * 1024;

    private readonly ConcurrentDictionary<string, bool> _created = new();

    private readonly ExpiringCache<string> _loaded = new(LoadedLifetime, LoadedCapacity, time);

    /// <summary>Returns (inline JSON, null) or (null, blob name).</summary>
    public async Task<(string? Inline, string? Blob)> StoreAsync(string activityJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activityJson);
        var bytes = Encoding.UTF8.GetBytes(activityJson);
        if (bytes.Length <= InlineLimitBytes && EncodedLength(activityJson) <= InlineLimitBytes)
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

    /// <summary>Bytes of <paramref name="json"/> as a string value in a queue message (escaped as the queue's JSON context escapes it).</summary>
    public static int EncodedLength(string json) => JsonEncodedText.Encode(json).EncodedUtf8Bytes.Length;

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

        return await _loaded.GetOrLoadAsync(blob, async () =>
        {
            var container = await ContainerAsync(cancellationToken);
            var content = await container.GetBlobClient(blob).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        });
    }

    /// <summary>
    /// Deletes the payloads last written more than <see cref="Retention"/> before <paramref name="now"/>; returns how many.
    /// Storage: 1 listing per 5,000 payloads + 1 delete per expired one.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Properties.LastModified is { } written && now - written > Retention
                && (await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken)).Value)
            {
                deleted++;
            }
        }

        return deleted;
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
