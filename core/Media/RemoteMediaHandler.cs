using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Moderation;
using ServerlessFedi.Remote;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Web;

namespace ServerlessFedi.Media;

/// <summary>
/// Remote media served through this instance (<c>Fedi__ProxyRemoteMedia</c>, Mastodon's behaviour) at
/// <c>/media-proxy/{owner}/{id}/{hash}</c> (<see cref="InstanceUrls.RemoteMedia"/>): apps of agency staff load remote avatars,
/// headers, attachments and emoji from this instance instead of from third-party servers. Only a URL the named row holds
/// is served (no open proxy); servers the operator suspended or blocked with <c>reject_media</c> get nothing: their
/// accounts' avatars and headers answer the default images, their attachments 404. The first request fetches the file
/// through the guarded <see cref="RemoteClient"/>, recognised from its first bytes as an image (at most
/// <see cref="MaxImageBytes"/>), a video or an audio file (at most <see cref="MaxBytes"/>, as our own video uploads and
/// Mastodon's remote video; anything else is refused), and writes it as it arrives, block by block, into the private
/// <c>remotemedia</c> container (<see cref="RemoteMediaStore"/>), which a lifecycle rule empties after some days; that and
/// later requests read the copy, streamed. A file over its limit, or one that breaks off, is not stored and answers 502
/// (the entity's <c>remote_url</c> still names the original, as Mastodon's for media it did not download).
/// Storage: the owner's row (status: 1 point read + the author, 1-2; account: 1-2; none when this process read them in the
/// last seconds, as pages do: <see cref="StatusStore.RecentLifetime"/>) + 1 blob read; a first request
/// + the copy's puts (<see cref="RemoteMediaStore.PutAsync"/>) + 1 blob read; a revalidation (<c>If-None-Match</c>) none.
/// </summary>
public sealed class RemoteMediaHandler(InstanceUrls urls, AccountDirectory directory, StatusStore statuses, ModerationPolicy moderation, MediaStore store, RemoteMediaStore copies, RemoteClient client, ILogger<RemoteMediaHandler> logger)
{
    /// <summary>The largest remote video or audio file copied (<see cref="MediaLimits.VideoSizeLimit"/>, Mastodon's <c>VIDEO_LIMIT</c>); larger ones are refused (apps keep <c>remote_url</c>).</summary>
    public const int MaxBytes = MediaLimits.VideoSizeLimit;

    /// <summary>The largest remote image copied (<see cref="MediaLimits.ImageSizeLimit"/>, Mastodon's <c>IMAGE_LIMIT</c>).</summary>
    public const int MaxImageBytes = MediaLimits.ImageSizeLimit;

    /// <summary>What is read before anything is stored to tell the file's type: more than any signature the sniffers read (two MP3 frames).</summary>
    private const int SniffBytes = 8 * 1024;

    /// <summary>A copy is kept for days; apps and browsers may keep it as long (the URL names the remote file by its hash).</summary>
    private const string CacheControl = "public, max-age=604800";

    private const string Accept = "image/*, video/*, audio/*;q=0.9, */*;q=0.1";

    /// <summary>
    /// Bodies read: media types and the generic binary ones some servers send for files (the bytes decide either way); two
    /// minutes for the largest file (the host ends a request at 230 s).
    /// </summary>
    private static readonly RemoteFetchBounds Bounds = new(MaxBytes, TimeSpan.FromMinutes(2), ["image/*", "video/*", "audio/*", "application/octet-stream", "binary/octet-stream"], Truncate: false);

    public async Task<WireResult> GetAsync(HttpRequest request, string owner, string id, string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!urls.ProxiesRemoteMedia || !IsHash(hash) || id is not { Length: >= 18 and <= 19 } || !id.All(char.IsAsciiDigit) || owner is not (RemoteMediaOwner.Accounts or RemoteMediaOwner.Statuses))
        {
            return NotFound();
        }

        var etag = $"\"{hash}\"";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && (v == etag || v == "*" || v.Split(',', StringSplitOptions.TrimEntries).Contains(etag))))
        {
            return Headers(WireResult.Empty(StatusCodes.Status304NotModified), etag);
        }

        var (actorId, candidates) = owner == RemoteMediaOwner.Accounts ? await AccountFilesAsync(id, cancellationToken) : await StatusFilesAsync(id, cancellationToken);
        var url = candidates.FirstOrDefault(u => u is not null && InstanceUrls.RemoteMediaHash(u) == hash);
        var rules = await moderation.CurrentAsync(cancellationToken);
        var withheld = actorId is not null && (rules.Suspends(actorId) || rules.RejectsMediaOf(actorId));
        if (url is not null && withheld && owner == RemoteMediaOwner.Accounts)
        {
            return Default(url == candidates[0] ? DefaultImages.Avatar : DefaultImages.Header);
        }

        if (url is null || actorId is null || withheld || !Uri.TryCreate(url, UriKind.Absolute, out var remote))
        {
            return NotFound();
        }

        var blobName = StorageKeys.Sha256Hex(url);
        var range = MediaFileHandler.ParseRange(request.Headers.Range.ToString());
        if (await CopyAnswerAsync(blobName, range, etag, cancellationToken) is { } served)
        {
            return served;
        }

        return await CopyAsync(remote, blobName, cancellationToken) && await CopyAnswerAsync(blobName, range, etag, cancellationToken) is { } copied
            ? copied
            : WireResult.Empty(StatusCodes.Status502BadGateway).WithHeader("Cache-Control", "public, max-age=60").WithHeader("X-Content-Type-Options", "nosniff");
    }

    /// <summary>The stored copy (a range of it: at most <see cref="MediaFileHandler.MaxRangeBytes"/>; else all of it, streamed), or null when there is none.</summary>
    private async Task<WireResult?> CopyAnswerAsync(string blobName, (long Offset, long Length)? range, string etag, CancellationToken cancellationToken)
    {
        if (range is not { } r)
        {
            if (await copies.OpenAsync(blobName, cancellationToken) is not { } file)
            {
                return null;
            }

            var streamed = WireResult.Streamed(file.ContentType, async (body, ct) =>
            {
                await using var content = file.Content;
                await content.CopyToAsync(body, ct);
            });
            return Headers(streamed.WithHeader("Content-Length", file.Length.ToString(CultureInfo.InvariantCulture)), etag);
        }

        if (await store.DownloadRangeAsync(blobName, r.Offset, r.Length, cancellationToken, StorageNames.RemoteMediaContainer) is not { } copy)
        {
            return null;
        }

        if (copy.Data.Length == 0)
        {
            return Headers(WireResult.Empty(StatusCodes.Status416RangeNotSatisfiable), etag)
                .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{copy.Length}"));
        }

        return Headers(WireResult.Bytes(StatusCodes.Status206PartialContent, copy.Data, copy.ContentType), etag)
            .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {copy.Offset}-{copy.Offset + copy.Data.Length - 1}/{copy.Length}"));
    }

    /// <summary>
    /// Copies the remote file into storage as it arrives; false (nothing stored) when it could not be fetched, is no image,
    /// video or audio file by its first bytes, passes its type's limit or breaks off.
    /// </summary>
    private async Task<bool> CopyAsync(Uri remote, string blobName, CancellationToken cancellationToken)
    {
        var stored = false;
        try
        {
            await client.GetStreamingAsync(remote, Accept, Bounds, async (body, ct) =>
            {
                var head = new byte[SniffBytes];
                var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                if (ContentTypeOf(head.AsSpan(0, read)) is not { } type)
                {
                    return;
                }

                var max = type.StartsWith("image/", StringComparison.Ordinal) ? MaxImageBytes : MaxBytes;
                await using var rest = new BoundedReadStream(body, max - read, remote);
                await copies.PutAsync(blobName, head.AsMemory(0, read), rest, type, ct);
                stored = true;
            }, cancellationToken);
        }
        catch (RemoteFetchException e)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Remote media from {Host} not copied: {Reason}", remote.Host, e.Reason);
            }
        }

        return stored;
    }

    /// <summary>What the bytes are (never what the remote server said): a raster image, or a video or audio container; null for anything else (SVG and HTML included).</summary>
    internal static string? ContentTypeOf(ReadOnlySpan<byte> data)
    {
        var image = ImageSniffer.Detect(data);
        if (image != ImageFormat.Unknown)
        {
            return ImageSniffer.MimeType(image);
        }

        return MediaSniffer.DetectContainer(data) switch
        {
            Av.AvContainer.IsoMedia => "video/mp4",
            Av.AvContainer.Matroska => "video/webm",
            Av.AvContainer.Ogg => "audio/ogg",
            Av.AvContainer.Wave => "audio/wav",
            Av.AvContainer.Mp3 => "audio/mpeg",
            _ => null,
        };
    }

    private async Task<(string? ActorId, IReadOnlyList<string?> Urls)> AccountFilesAsync(string apiId, CancellationToken cancellationToken) =>
        await directory.GetRecentByApiIdAsync(apiId, cancellationToken) is { Remote: { } actor } ? (actor.Id, [actor.IconUrl, actor.ImageUrl]) : (null, []);

    private async Task<(string? ActorId, IReadOnlyList<string?> Urls)> StatusFilesAsync(string statusId, CancellationToken cancellationToken)
    {
        if (await statuses.GetManyRecentAsync([statusId], cancellationToken) is not [{ IsLocal: false, DeletedAt: null } status]
            || await directory.GetRecentByApiIdAsync(status.AccountId, cancellationToken) is not { Remote: { } author })
        {
            return (null, []);
        }

        return (author.Id, [.. status.RemoteMedia.SelectMany(m => new[] { m.Url, m.PreviewUrl }), .. status.Emojis.Select(e => e.Url)]);
    }

    private static bool IsHash(string? hash) => hash is { Length: 16 } && hash.All(char.IsAsciiHexDigitLower);

    private static WireResult Headers(WireResult result, string etag) => MediaFileHandler.Headers(result, etag, CacheControl);

    private static WireResult NotFound() => MediaFileHandler.NotFound();

    /// <summary>
    /// The default avatar or header in place of one from a server whose media is not shown (Mastodon stores none for those and
    /// shows its <c>missing.png</c>): apps keep a face instead of a broken image. Without an ETag and kept briefly, as the
    /// operator's rule may be lifted.
    /// </summary>
    private static WireResult Default(byte[] png) =>
        WireResult.Bytes(StatusCodes.Status200OK, png, "image/png").WithHeader("Cache-Control", "public, max-age=600").WithHeader("X-Content-Type-Options", "nosniff");
}
