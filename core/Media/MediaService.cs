using System.Globalization;
using System.Security.Cryptography;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Media.Av;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Media;

/// <summary>
/// Uploading, describing, attaching and deleting media (docs: methods/media). Images, and video and audio sent to v1, are
/// processed within the request, so they are complete when the API answers. Video and audio sent to v2 are read and
/// checked within the request (a refusal is still a 422 then), get their poster, and are stripped and stored by the
/// media queue (<see cref="QueuedMediaProcessor"/>): the API answers 202 until then, as Mastodon does. Media is editable
/// by its owner until a status takes it; from then on it is frozen and lives and dies with that status.
/// </summary>
public sealed class MediaService(MediaStore store, SnowflakeIds ids, WorkQueue queue, TimeProvider time)
{
    /// <summary>Mastodon's text (config/locales/en.yml, media_attachments.validations.not_ready) for attaching unprocessed media.</summary>
    public const string NotReady = "Cannot attach files that have not finished processing. Try again in a moment!";

    /// <summary>
    /// Uploads an image, video or audio file (recognised from its bytes). <paramref name="thumbnail"/> is the poster of a
    /// video or audio file (ignored for images); <paramref name="deferred"/> (v2) leaves stripping and storing a video or
    /// audio file to the media queue, and the result is then <see cref="MediaProcessingState.Queued"/>.
    /// Storage: see <see cref="MediaStore.SaveAsync"/> and <see cref="MediaStore.SaveUploadAsync"/>; deferred + 1 queue send.
    /// </summary>
    public async Task<MediaResult> UploadAsync(LocalAccount account, byte[] data, byte[]? thumbnail, string? description, string? focus, bool deferred, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(data);
        if (ValidateDescription(description) is { } descriptionError)
        {
            return MediaResult.Invalid(descriptionError);
        }

        var (focusX, focusY, focusError) = FocalPoint.Parse(focus);
        if (focusError is not null)
        {
            return MediaResult.Invalid(focusError);
        }

        if (AvProcessor.IsAudioOrVideo(data))
        {
            return await UploadClipAsync(account, data, thumbnail, Normalise(description), (focusX, focusY), deferred, cancellationToken);
        }

        var processed = MediaProcessor.ProcessAttachment(data);
        if (processed.Media is not { } files)
        {
            return new MediaResult(null, processed.Error, processed.Message);
        }

        var id = ids.Next();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var media = new MediaAttachment
        {
            Id = id,
            AccountId = account.Id,
            OriginalBlob = StorageKeys.MediaBlob(id, token, "original", files.Original.Extension),
            OriginalContentType = files.Original.ContentType,
            OriginalWidth = files.Original.Width,
            OriginalHeight = files.Original.Height,
            SmallBlob = StorageKeys.MediaBlob(id, token, "small", files.Small.Extension),
            SmallContentType = files.Small.ContentType,
            SmallWidth = files.Small.Width,
            SmallHeight = files.Small.Height,
            Description = Normalise(description),
            FocusX = focusX,
            FocusY = focusY,
            Blurhash = files.Blurhash,
            CreatedAt = time.GetUtcNow(),
        };
        await store.SaveAsync(media, files, cancellationToken);
        return MediaResult.Ok(media);
    }

    private async Task<MediaResult> UploadClipAsync(LocalAccount account, byte[] data, byte[]? thumbnail, string? description, (double? X, double? Y) focus, bool deferred, CancellationToken cancellationToken)
    {
        var probe = AvProcessor.Probe(data);
        if (probe.Info is not { } info)
        {
            return MediaResult.Invalid(probe.Error!);
        }

        var poster = AvProcessor.Poster(thumbnail, info);
        if (poster.Media is not { } preview)
        {
            return new MediaResult(null, poster.Error, poster.Message);
        }

        var id = ids.Next();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var media = new MediaAttachment
        {
            Id = id,
            AccountId = account.Id,
            Type = info.Type,
            OriginalBlob = StorageKeys.MediaBlob(id, token, "original", info.Extension),
            OriginalContentType = info.ContentType,
            OriginalWidth = info.Width,
            OriginalHeight = info.Height,
            SmallBlob = StorageKeys.MediaBlob(id, token, "small", preview.Small.Extension),
            SmallContentType = preview.Small.ContentType,
            SmallWidth = preview.Small.Width,
            SmallHeight = preview.Small.Height,
            Description = description,
            FocusX = focus.X,
            FocusY = focus.Y,
            Blurhash = preview.Blurhash,
            CreatedAt = time.GetUtcNow(),
            Duration = Math.Round(info.Duration, 6),
            FrameRate = info.FrameRateDenominator == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{info.FrameRateNumerator}/{info.FrameRateDenominator}"),
            Bitrate = Bitrate(data.Length, info.Duration),
            AudioCodec = info.AudioCodec,
            AudioSampleRate = info.SampleRate,
            AudioChannels = info.Channels,
            CustomThumbnail = thumbnail is { Length: > 0 },
            Processing = deferred ? MediaProcessingState.Queued : MediaProcessingState.Complete,
        };
        if (deferred)
        {
            await store.SaveUploadAsync(media, data, preview.Small, cancellationToken);
            await queue.SendMediaAsync(new MediaMessage(account.Id, id), cancellationToken);
            return MediaResult.Ok(media);
        }

        if (AvProcessor.Strip(data, info) is not { } stripped)
        {
            return MediaResult.Invalid("Validation failed: the file's structure could not be read");
        }

        var clip = new ProcessedImage(stripped, info.ContentType, info.Extension, info.Width, info.Height);
        media = media with { Bitrate = Bitrate(stripped.Length, info.Duration) };
        await store.SaveAsync(media, new ProcessedMedia(clip, preview.Small, preview.Blurhash, false), cancellationToken);
        return MediaResult.Ok(media);
    }

    /// <summary>Bits per second of a file of <paramref name="bytes"/> lasting <paramref name="seconds"/> (Mastodon's <c>meta.original.bitrate</c>).</summary>
    internal static long Bitrate(long bytes, double seconds) => seconds > 0 ? (long)Math.Round(bytes * 8 / seconds) : 0;

    /// <summary>The caller's own media while it is not attached (as Mastodon: attached media is reached through its status).</summary>
    public async Task<MediaResult> GetAsync(LocalAccount account, string mediaId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var found = await store.GetAsync(account.Id, mediaId, cancellationToken);
        return found is { Media.StatusId: null } ? MediaResult.Ok(found.Value.Media) : MediaResult.NotFound();
    }

    /// <summary>
    /// Changes description, focus and/or (video and audio) the poster of the caller's own unattached media; a parameter
    /// left out stays as it was. A new poster is stored under a new name, then the row is replaced, then the old poster
    /// goes. Storage: 1 point read + 1 conditional replace; a thumbnail + 1 blob put + 1 blob delete.
    /// </summary>
    public async Task<MediaResult> UpdateAsync(LocalAccount account, string mediaId, string? description, string? focus, byte[]? thumbnail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (ValidateDescription(description) is { } descriptionError)
        {
            return MediaResult.Invalid(descriptionError);
        }

        var (focusX, focusY, focusError) = FocalPoint.Parse(focus);
        if (focusError is not null)
        {
            return MediaResult.Invalid(focusError);
        }

        var found = await store.GetAsync(account.Id, mediaId, cancellationToken);
        if (found is not { Media.StatusId: null } current)
        {
            return MediaResult.NotFound();
        }

        if (current.Media.Processing == MediaProcessingState.Failed)
        {
            return MediaResult.Invalid(current.Media.ProcessingError ?? "Error processing thumbnail for uploaded media");
        }

        var updated = current.Media with
        {
            Description = description is null ? current.Media.Description : Normalise(description),
            FocusX = focus is null ? current.Media.FocusX : focusX,
            FocusY = focus is null ? current.Media.FocusY : focusY,
        };
        string? newPoster = null;
        if (thumbnail is { Length: > 0 } && current.Media.Type is "video" or "audio")
        {
            var clip = new AvInfo
            {
                Container = AvContainer.Unknown,
                Type = current.Media.Type,
                ContentType = current.Media.OriginalContentType,
                Extension = "",
                Duration = current.Media.Duration ?? 0,
                Width = current.Media.OriginalWidth,
                Height = current.Media.OriginalHeight,
            };
            var poster = AvProcessor.Poster(thumbnail, clip);
            if (poster.Media is not { } preview)
            {
                return new MediaResult(null, poster.Error, poster.Message);
            }

            newPoster = StorageKeys.MediaBlob(current.Media.Id, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), "small", preview.Small.Extension);
            await store.PutFileAsync(newPoster, preview.Small, cancellationToken);
            updated = updated with
            {
                SmallBlob = newPoster,
                SmallContentType = preview.Small.ContentType,
                SmallWidth = preview.Small.Width,
                SmallHeight = preview.Small.Height,
                Blurhash = preview.Blurhash,
                CustomThumbnail = true,
            };
        }

        if (!await store.UpdateAsync(updated, current.ETag, cancellationToken))
        {
            // Attached (or deleted) between the read and the write.
            if (newPoster is not null)
            {
                await store.DeleteFileAsync(newPoster, cancellationToken);
            }

            return MediaResult.NotFound();
        }

        if (newPoster is not null)
        {
            await store.DeleteFileAsync(current.Media.SmallBlob, cancellationToken);
        }

        return MediaResult.Ok(updated);
    }

    /// <summary>
    /// Claims the caller's unattached media for a status about to be stored (conditional writes: two statuses can never
    /// take the same upload). On any refusal nothing stays claimed. Call <see cref="CompleteAttachAsync"/> once the status is stored.
    /// A scheduled status reserves media the same way (its id as <paramref name="statusId"/>); its publication passes that id as <paramref name="heldBy"/>.
    /// </summary>
    public async Task<(IReadOnlyList<MediaAttachment> Media, string? Error)> AttachAsync(LocalAccount account, IReadOnlyList<string>? mediaIds, string statusId, CancellationToken cancellationToken, string? heldBy = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var wanted = (mediaIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return ([], null);
        }

        if (wanted.Count > MediaLimits.MaxAttachmentsPerStatus)
        {
            return ([], $"Validation failed: a status holds at most {MediaLimits.MaxAttachmentsPerStatus} media attachments");
        }

        var found = new List<(MediaAttachment Media, Azure.ETag ETag)>();
        foreach (var id in wanted)
        {
            if (await store.GetAsync(account.Id, id, cancellationToken) is not { } media
                || (media.Media.StatusId is { } holder && (heldBy is null || (holder != heldBy && holder != statusId))))
            {
                return ([], $"Validation failed: media_ids: {id} is not an unattached upload of this account");
            }

            if (media.Media.Processing != MediaProcessingState.Complete)
            {
                return ([], NotReady);
            }

            found.Add(media);
        }

        var claimed = new List<MediaAttachment>();
        foreach (var (media, etag) in found)
        {
            if (media.StatusId == statusId)
            {
                claimed.Add(media);
                continue;
            }

            var attached = media with { StatusId = statusId };
            if (!await store.UpdateAsync(attached, etag, cancellationToken))
            {
                await ReleaseAsync(account, claimed, cancellationToken);
                return ([], $"Validation failed: media_ids: {media.Id} was attached to another status meanwhile");
            }

            claimed.Add(attached);
        }

        return (claimed, null);
    }

    /// <summary>The status is stored: its media leaves the clean-up's index.</summary>
    public async Task CompleteAttachAsync(IReadOnlyList<MediaAttachment> media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        foreach (var m in media)
        {
            await store.RemoveFromUnattachedAsync(m.Id, cancellationToken);
        }
    }

    /// <summary>Ends a scheduled status's reservation without a status (cancelled, or dropped at its time): its media are unattached again and back in the clean-up's index, as Mastodon unlinks them. Storage per upload: 1 read + 1 conditional replace + 1 upsert.</summary>
    public Task ReleaseReservedAsync(string accountId, IReadOnlyList<MediaAttachment> media, string heldBy, CancellationToken cancellationToken) =>
        DetachAsync(accountId, media, heldBy, null, cancellationToken);

    /// <summary>
    /// A status deleted without <c>delete_media</c> leaves its media (<paramref name="media"/>: every version's) unattached
    /// for "delete and redraft" (docs: methods/statuses#delete, Mastodon 4.4); the clean-up deletes them
    /// <see cref="MediaLimits.UnattachedLifetime"/> after the deletion unless a new status takes them. The same cost as
    /// <see cref="ReleaseReservedAsync"/>.
    /// </summary>
    public Task KeepForRedraftAsync(Status status, IReadOnlyList<MediaAttachment> media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return DetachAsync(status.AccountId, media, status.Id, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// <c>DELETE /api/v1/media/:id</c> (Mastodon 4.4): deletes the caller's own media while no status or scheduled status
    /// holds it; 404 when it is not the caller's, 422 when it is in use. Storage: 1 read + the deletion (2 blob deletes, 2 row deletes).
    /// </summary>
    public async Task<MediaResult> DeleteUnattachedAsync(LocalAccount account, string mediaId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (await store.GetAsync(account.Id, mediaId, cancellationToken) is not { } found)
        {
            return MediaResult.NotFound();
        }

        if (found.Media.StatusId is not null)
        {
            return MediaResult.Invalid("Media attachment is currently used by a status");
        }

        await store.DeleteAsync(found.Media, cancellationToken);
        return MediaResult.Ok(found.Media);
    }

    /// <summary>
    /// Copies an edit's new descriptions and focal points (<c>media_attributes</c>) to the rows of media the status
    /// <paramref name="statusId"/> holds, so a redraft takes them along. Storage per changed attachment: 1 read + 1 conditional replace.
    /// </summary>
    public async Task DescribeAttachedAsync(string accountId, string statusId, IReadOnlyList<MediaAttachment> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var m in changed)
        {
            if (await store.GetAsync(accountId, m.Id, cancellationToken) is { } current && current.Media.StatusId == statusId)
            {
                await store.UpdateAsync(current.Media with { Description = m.Description, FocusX = m.FocusX, FocusY = m.FocusY }, current.ETag, cancellationToken);
            }
        }
    }

    private async Task DetachAsync(string accountId, IReadOnlyList<MediaAttachment> media, string heldBy, DateTimeOffset? detachedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        foreach (var m in media)
        {
            if (await store.GetAsync(accountId, m.Id, cancellationToken) is { } current && current.Media.StatusId == heldBy)
            {
                await store.UpdateAsync(current.Media with { StatusId = null, DetachedAt = detachedAt }, current.ETag, cancellationToken);
                await store.AddToUnattachedAsync(m.Id, accountId, cancellationToken);
            }
        }
    }

    /// <summary>Deleting a status deletes its media: files, rows and index rows.</summary>
    public async Task DeleteForStatusAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var m in status.Media)
        {
            await store.DeleteAsync(m, cancellationToken);
        }
    }

    private async Task ReleaseAsync(LocalAccount account, List<MediaAttachment> claimed, CancellationToken cancellationToken)
    {
        foreach (var media in claimed)
        {
            if (await store.GetAsync(account.Id, media.Id, cancellationToken) is { } current)
            {
                await store.UpdateAsync(current.Media with { StatusId = null }, current.ETag, cancellationToken);
            }
        }
    }

    internal static string? ValidateDescription(string? description) =>
        description is not null && description.Length > MediaLimits.MaxDescriptionCharacters
            ? $"Validation failed: Description is too long (maximum is {MediaLimits.MaxDescriptionCharacters} characters)"
            : null;

    internal static string? Normalise(string? description) => string.IsNullOrWhiteSpace(description) ? null : description.Trim();
}
