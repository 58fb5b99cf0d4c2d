using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation;
using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Media;

/// <summary>
/// Finishes a v2 video or audio upload from the <c>media</c> queue: reads the file as received, strips its metadata,
/// stores it under the name the API already gave it, marks the media complete (or failed, with the reason the API then
/// answers with, 422) and deletes the received file. Idempotent: a message for media that is gone, complete or failed
/// only tidies up, and a retry after a crash rewrites the same file. Storage errors throw, so the host retries the message.
/// Storage: 2 point reads + 1 blob read + 1 blob put + 1 conditional replace (+1 read and replace per concurrent edit) + 1 blob delete.
/// </summary>
public sealed class QueuedMediaProcessor(MediaStore store, WorkQueue queue, ILogger<QueuedMediaProcessor> logger)
{
    /// <summary>A concurrent edit (description, focus, poster) makes the final replace fail; the edit is kept and the state written again.</summary>
    private const int MaxUpdateAttempts = 5;

    /// <summary>When the owner keeps editing, the message comes back after this delay and processing runs again.</summary>
    private static readonly TimeSpan BusyDelay = TimeSpan.FromSeconds(10);

    public async Task ProcessAsync(MediaMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await store.GetAsync(message.AccountId, message.MediaId, cancellationToken) is not { Media.Processing: MediaProcessingState.Queued } found)
        {
            await store.DeleteUploadAsync(message.MediaId, cancellationToken);
            return;
        }

        var media = found.Media;
        var upload = await store.DownloadUploadAsync(media.Id, cancellationToken);
        var probe = upload is null ? null : AvProcessor.Probe(upload);
        var stripped = probe?.Info is { } info ? AvProcessor.Strip(upload!, info) : null;
        if (stripped is null)
        {
            var reason = probe?.Error ?? (upload is null ? "Validation failed: the upload was lost before it was processed" : "Validation failed: the file's structure could not be read");
            logger.LogWarning("Media {MediaId} failed processing: {Reason}", media.Id, reason);
            if (await FinishAsync(message, m => m with { Processing = MediaProcessingState.Failed, ProcessingError = reason }, cancellationToken))
            {
                await store.DeleteUploadAsync(media.Id, cancellationToken);
            }

            return;
        }

        await store.ReplaceFileAsync(media.OriginalBlob, new ProcessedImage(stripped, media.OriginalContentType, probe!.Info!.Extension, media.OriginalWidth, media.OriginalHeight), cancellationToken);
        var bitrate = MediaService.Bitrate(stripped.Length, probe.Info.Duration);
        if (await FinishAsync(message, m => m with { Processing = MediaProcessingState.Complete, Bitrate = bitrate }, cancellationToken))
        {
            await store.DeleteUploadAsync(media.Id, cancellationToken);
        }
    }

    /// <summary>Writes the outcome; false when the media kept changing and the message was sent again to finish later.</summary>
    private async Task<bool> FinishAsync(MediaMessage message, Func<MediaAttachment, MediaAttachment> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            if (await store.GetAsync(message.AccountId, message.MediaId, cancellationToken) is not { Media.Processing: MediaProcessingState.Queued } current)
            {
                return true; // deleted meanwhile (the clean-up, or its owner's account): nothing to finish
            }

            if (await store.UpdateAsync(change(current.Media), current.ETag, cancellationToken))
            {
                return true;
            }
        }

        logger.LogInformation("Media {MediaId} kept changing while it was being finished; trying again in {Delay}", message.MediaId, BusyDelay);
        await queue.SendMediaAsync(message, BusyDelay, cancellationToken);
        return false;
    }
}
