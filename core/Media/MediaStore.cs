using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Media;

/// <summary>
/// Media rows (table <c>media</c>, PK account id, RK media id), the unattached index (PK <c>unattached</c>) and the files
/// (container <c>media</c>), and v2 video and audio uploads as received (private container <c>uploads</c>) until the media
/// queue has processed them. Storage: save 2 blob puts + 2 inserts; get 1 point read; attach 1 conditional update + 1
/// delete per file; delete 2 blob deletes + 2 deletes (+ 1 blob delete while not processed); a clean-up page 1 range query.
/// </summary>
public sealed class MediaStore(FediTables tables, StorageAccount account, FediOptions options)
{
    /// <summary>Files never change under a name, so any cache may keep them for a year.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private readonly ConcurrentDictionary<string, bool> _created = new();

    public async Task SaveAsync(MediaAttachment media, ProcessedMedia files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(files);
        // Index row first: whatever fails after it, the clean-up finds the files (by the id prefix) and removes them.
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (ipk, irk) = StorageKeys.UnattachedMedia(media.Id);
        await table.AddEntityAsync(new TableEntity(ipk, irk) { ["AccountId"] = media.AccountId }, cancellationToken);
        var container = await ContainerAsync(cancellationToken);
        await UploadAsync(container, media.OriginalBlob, files.Original, replace: false, cancellationToken);
        await UploadAsync(container, media.SmallBlob, files.Small, replace: false, cancellationToken);
        await table.AddEntityAsync(ToEntity(media), cancellationToken);
    }

    /// <summary>
    /// Saves a v2 video or audio upload for the media queue: the index row, the file as received in the private
    /// <c>uploads</c> container, the poster, then the row (queued). Storage: 2 blob puts + 2 inserts.
    /// </summary>
    public async Task SaveUploadAsync(MediaAttachment media, byte[] upload, ProcessedImage poster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(poster);
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (ipk, irk) = StorageKeys.UnattachedMedia(media.Id);
        await table.AddEntityAsync(new TableEntity(ipk, irk) { ["AccountId"] = media.AccountId }, cancellationToken);
        var uploads = await ContainerAsync(StorageNames.UploadsContainer, cancellationToken);
        await uploads.GetBlobClient(StorageKeys.MediaUploadBlob(media.Id)).UploadAsync(BinaryData.FromBytes(upload), overwrite: true, cancellationToken);
        await UploadAsync(await ContainerAsync(cancellationToken), media.SmallBlob, poster, replace: false, cancellationToken);
        await table.AddEntityAsync(ToEntity(media), cancellationToken);
    }

    /// <summary>A queued upload as received; null when it is gone (processed, or deleted with its media). Storage: 1 blob read.</summary>
    public async Task<byte[]?> DownloadUploadAsync(string mediaId, CancellationToken cancellationToken)
    {
        var uploads = await ContainerAsync(StorageNames.UploadsContainer, cancellationToken);
        try
        {
            var content = await uploads.GetBlobClient(StorageKeys.MediaUploadBlob(mediaId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes a queued upload's received file if it is there: 1 blob delete.</summary>
    public async Task DeleteUploadAsync(string mediaId, CancellationToken cancellationToken)
    {
        var uploads = await ContainerAsync(StorageNames.UploadsContainer, cancellationToken);
        await uploads.DeleteBlobIfExistsAsync(StorageKeys.MediaUploadBlob(mediaId), cancellationToken: cancellationToken);
    }

    /// <summary>The account's media with that id, with its ETag for a conditional update; null when it is not theirs or does not exist.</summary>
    public async Task<(MediaAttachment Media, ETag ETag)?> GetAsync(string accountId, string mediaId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(mediaId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.MediaAttachment(accountId, mediaId);
        var row = await table.GetEntityIfExistsAsync<MediaEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Replaces the row if it has not changed since it was read; false when someone else changed it first.</summary>
    public async Task<bool> UpdateAsync(MediaAttachment media, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToEntity(media), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Drops the unattached-index row once the media belongs to a status.</summary>
    public async Task RemoveFromUnattachedAsync(string mediaId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.UnattachedMedia(mediaId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Puts an upload back into the clean-up's index (a reservation ended without a status); 1 upsert.</summary>
    public async Task AddToUnattachedAsync(string mediaId, string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.UnattachedMedia(mediaId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["AccountId"] = accountId }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Deletes both files, the row and the index row; each step tolerates what is already gone.</summary>
    public async Task DeleteAsync(MediaAttachment media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        var container = await ContainerAsync(cancellationToken);
        await container.DeleteBlobIfExistsAsync(media.OriginalBlob, cancellationToken: cancellationToken);
        await container.DeleteBlobIfExistsAsync(media.SmallBlob, cancellationToken: cancellationToken);
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.MediaAttachment(media.AccountId, media.Id);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        if (media.Processing != MediaProcessingState.Complete)
        {
            await DeleteUploadAsync(media.Id, cancellationToken);
        }

        await RemoveFromUnattachedAsync(media.Id, cancellationToken);
    }

    /// <summary>Files and index row of an upload whose media row was never written (a crash in <see cref="SaveAsync"/>).</summary>
    public async Task DeleteOrphanAsync(string mediaId, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = mediaId + "/" }, cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }

        await DeleteUploadAsync(mediaId, cancellationToken);
        await RemoveFromUnattachedAsync(mediaId, cancellationToken);
    }

    /// <summary>Index rows of uploads made before <paramref name="cutoff"/> (and after the media id <paramref name="after"/>, to page past rows that stay), oldest first: (media id, account id).</summary>
    public async Task<IReadOnlyList<(string MediaId, string AccountId)>> GetUnattachedBeforeAsync(DateTimeOffset cutoff, string? after, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var before = SnowflakeIds.AtTime(cutoff);
        var from = after ?? "";
        var list = new List<(string, string)>(limit);
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.UnattachedMediaPartition} and RowKey lt {before} and RowKey gt {from}"),
            maxPerPage: limit,
            select: ["RowKey", "AccountId"],
            cancellationToken: cancellationToken))
        {
            list.Add((row.RowKey, row.GetString("AccountId") ?? ""));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>A file by blob name, or null when it does not exist (deleted with its status, or never there).</summary>
    public async Task<MediaFile?> DownloadAsync(string blobName, CancellationToken cancellationToken, string container = StorageNames.MediaContainer)
    {
        var files = await ContainerAsync(container, cancellationToken);
        try
        {
            var content = await files.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
            return new MediaFile(content.Value.Content.ToArray(), content.Value.Details.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A file as a download stream (the caller disposes it), or null when it does not exist: 1 blob read, not buffered.</summary>
    public async Task<Stream?> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        try
        {
            var download = await container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// At most <paramref name="length"/> bytes of a file from <paramref name="offset"/>, with the file's whole length; a
    /// suffix (negative <paramref name="offset"/>: the last bytes) costs one more read for the length. Null when the file
    /// does not exist; empty data when the offset is at or past its end. Storage: 1 ranged blob read (+1 properties read).
    /// </summary>
    public async Task<MediaFile?> DownloadRangeAsync(string blobName, long offset, long length, CancellationToken cancellationToken, string container = StorageNames.MediaContainer)
    {
        var blob = (await ContainerAsync(container, cancellationToken)).GetBlobClient(blobName);
        try
        {
            if (offset < 0)
            {
                var size = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
                (offset, length) = (Math.Max(0, size + offset), Math.Min(length, size));
            }

            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new Azure.HttpRange(offset, length) }, cancellationToken);
            var total = content.Value.Details.ContentRange is { } range && long.TryParse(range[(range.LastIndexOf('/') + 1)..], out var t) ? t : content.Value.Details.ContentLength;
            return new MediaFile(content.Value.Content.ToArray(), content.Value.Details.ContentType, offset, total);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            var size = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
            return new MediaFile([], "", offset, size);
        }
    }

    /// <summary>Stores one rendered file under a fresh name (avatars, headers, new posters): 1 blob put.</summary>
    public async Task PutFileAsync(string blobName, ProcessedImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        await UploadAsync(await ContainerAsync(cancellationToken), blobName, image, replace: false, cancellationToken);
    }

    /// <summary>
    /// Stores a processed clip, replacing what the media queue wrote under that name before a crash (the name is still
    /// its own: it carries a random token): 1 blob put.
    /// </summary>
    public async Task ReplaceFileAsync(string blobName, ProcessedImage file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await UploadAsync(await ContainerAsync(cancellationToken), blobName, file, replace: true, cancellationToken);
    }

    /// <summary>Deletes one file if it is there: 1 blob delete.</summary>
    public async Task DeleteFileAsync(string blobName, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await container.DeleteBlobIfExistsAsync(blobName, cancellationToken: cancellationToken);
    }

    private static async Task UploadAsync(BlobContainerClient container, string name, ProcessedImage image, bool replace, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = image.ContentType, CacheControl = ImmutableCacheControl },
            // Names carry a fresh random token: an existing blob means a bug, never something to overwrite.
            Conditions = replace ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(image.Data), options, cancellationToken);
    }

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => ContainerAsync(StorageNames.MediaContainer, cancellationToken);

    /// <summary>A container of the app by its logical name (<see cref="StorageNames"/>), created on first use in this process.</summary>
    internal async Task<BlobContainerClient> ContainerAsync(string logicalName, CancellationToken cancellationToken)
    {
        var name = StorageNames.Queue(options.StoragePrefix, logicalName);
        var container = account.Blobs.GetBlobContainerClient(name);
        if (_created.TryAdd(name, true))
        {
            try
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
            catch (Exception)
            {
                _created.TryRemove(name, out _);
                throw;
            }
        }

        return container;
    }

    private static MediaEntity ToEntity(MediaAttachment m)
    {
        var (pk, rk) = StorageKeys.MediaAttachment(m.AccountId, m.Id);
        return new MediaEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            Type = m.Type,
            OriginalBlob = m.OriginalBlob,
            OriginalContentType = m.OriginalContentType,
            OriginalWidth = m.OriginalWidth,
            OriginalHeight = m.OriginalHeight,
            SmallBlob = m.SmallBlob,
            SmallContentType = m.SmallContentType,
            SmallWidth = m.SmallWidth,
            SmallHeight = m.SmallHeight,
            Description = m.Description,
            FocusX = m.FocusX,
            FocusY = m.FocusY,
            Blurhash = m.Blurhash,
            StatusId = m.StatusId,
            CreatedAt = m.CreatedAt,
            Processing = m.Processing == MediaProcessingState.Complete ? null : m.Processing.ToString(),
            ProcessingError = m.ProcessingError,
            Duration = m.Duration,
            FrameRate = m.FrameRate,
            Bitrate = m.Bitrate,
            AudioCodec = m.AudioCodec,
            AudioSampleRate = m.AudioSampleRate,
            AudioChannels = m.AudioChannels,
            CustomThumbnail = m.CustomThumbnail,
            DetachedAt = m.DetachedAt,
        };
    }

    private static MediaAttachment FromEntity(MediaEntity e) => new()
    {
        Id = e.RowKey,
        AccountId = e.PartitionKey,
        Type = e.Type,
        OriginalBlob = e.OriginalBlob,
        OriginalContentType = e.OriginalContentType,
        OriginalWidth = e.OriginalWidth,
        OriginalHeight = e.OriginalHeight,
        SmallBlob = e.SmallBlob,
        SmallContentType = e.SmallContentType,
        SmallWidth = e.SmallWidth,
        SmallHeight = e.SmallHeight,
        Description = e.Description,
        FocusX = e.FocusX,
        FocusY = e.FocusY,
        Blurhash = e.Blurhash,
        StatusId = e.StatusId,
        CreatedAt = e.CreatedAt,
        Processing = Enum.TryParse<MediaProcessingState>(e.Processing, out var processing) ? processing : MediaProcessingState.Complete,
        ProcessingError = e.ProcessingError,
        Duration = e.Duration,
        FrameRate = e.FrameRate,
        Bitrate = e.Bitrate,
        AudioCodec = e.AudioCodec,
        AudioSampleRate = e.AudioSampleRate,
        AudioChannels = e.AudioChannels,
        CustomThumbnail = e.CustomThumbnail,
        DetachedAt = e.DetachedAt,
    };
}
