using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Media;

/// <summary>
/// Copies of remote files (<c>Fedi__ProxyRemoteMedia</c>) in the private <c>remotemedia</c> container, which a lifecycle
/// rule empties after <c>remoteMediaRetentionDays</c> (Bicep). A copy is written as it arrives, in blocks of
/// <see cref="BlockBytes"/>, so a 99 MB video never sits in memory whole: one pooled block per transfer. Blocks are staged
/// and committed only once the whole body was read, so a body that breaks off or passes its limit leaves no file (its
/// uncommitted blocks are discarded by the service after 7 days). Storage: put a file of one block 1 blob put, else 1 put
/// per block + 1 commit; open 1 blob read.
/// </summary>
public sealed class RemoteMediaStore(MediaStore media)
{
    /// <summary>The block size, and the most of a transfer held in memory at once.</summary>
    public const int BlockBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Stores <paramref name="head"/> then <paramref name="rest"/> under <paramref name="blobName"/> (replacing an older copy) and
    /// returns the length; an exception from <paramref name="rest"/> (too large, broken off) stores nothing.
    /// </summary>
    public async Task<long> PutAsync(string blobName, ReadOnlyMemory<byte> head, Stream rest, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rest);
        var blob = (await ContainerAsync(cancellationToken)).GetBlockBlobClient(blobName);
        var headers = new BlobHttpHeaders { ContentType = contentType };
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            head.CopyTo(buffer);
            var filled = head.Length + await FillAsync(rest, buffer.AsMemory(head.Length, BlockBytes - head.Length), cancellationToken);
            if (filled < BlockBytes)
            {
                using var whole = new MemoryStream(buffer, 0, filled, writable: false);
                await blob.UploadAsync(whole, new BlobUploadOptions { HttpHeaders = headers }, cancellationToken);
                return filled;
            }

            // Ids unique to this transfer: a concurrent copy of the same file stages its own blocks, never into this one's list.
            var transfer = RandomNumberGenerator.GetBytes(8);
            var ids = new List<string>();
            long total = 0;
            while (filled > 0)
            {
                var id = Convert.ToBase64String([.. transfer, .. BitConverter.GetBytes(ids.Count)]);
                using (var block = new MemoryStream(buffer, 0, filled, writable: false))
                {
                    await blob.StageBlockAsync(id, block, cancellationToken: cancellationToken);
                }

                ids.Add(id);
                total += filled;
                filled = await FillAsync(rest, buffer.AsMemory(0, BlockBytes), cancellationToken);
            }

            await blob.CommitBlockListAsync(ids, new CommitBlockListOptions { HttpHeaders = headers }, cancellationToken);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A copy as a download stream (the caller disposes it) with its length and type, or null when there is none: 1 blob read, not buffered.</summary>
    public async Task<(Stream Content, long Length, string ContentType)?> OpenAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var download = await (await ContainerAsync(cancellationToken)).GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return (download.Value.Content, download.Value.Details.ContentLength, download.Value.Details.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken) =>
        await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => media.ContainerAsync(StorageNames.RemoteMediaContainer, cancellationToken);
}
