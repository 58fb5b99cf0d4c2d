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
/// accounts' avatars and headers answer the default images, their attachments 404. Files over <see cref="MaxBytes"/> are not
/// proxied (502; the entity's <c>remote_url</c> still names the original, as Mastodon's for media it did not download). The first
/// request fetches the file through the guarded <see cref="RemoteClient"/> (at most <see cref="MaxBytes"/>, recognised
/// from its bytes as an image, video or audio file; anything else is refused) and keeps a copy in the private
/// <c>remotemedia</c> container, which a lifecycle rule empties after some days; later requests read the copy.
/// Storage: the owner's row (status: 1 point read + the author, 1-2; account: 1-2; none when this process read them in the
/// last seconds, as pages do: <see cref="StatusStore.RecentLifetime"/>) + 1 blob read; a first request
/// + 1 blob put; a revalidation (<c>If-None-Match</c>) none.
/// </summary>
public sealed class RemoteMediaHandler(InstanceUrls urls, AccountDirectory directory, StatusStore statuses, ModerationPolicy moderation, MediaStore store, RemoteClient client, ILogger<RemoteMediaHandler> logger)
{
    /// <summary>The largest remote file copied (Mastodon's image limit); larger ones are refused (apps keep <c>remote_url</c>).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>A copy is kept for days; apps and browsers may keep it as long (the URL names the remote file by its hash).</summary>
    private const string CacheControl = "public, max-age=604800";

    private const string Accept = "image/*, video/*, audio/*;q=0.9, */*;q=0.1";

    /// <summary>Bodies read: media types and the generic binary ones some servers send for files (the bytes decide either way).</summary>
    private static readonly RemoteFetchBounds Bounds = new(MaxBytes, TimeSpan.FromSeconds(20), ["image/*", "video/*", "audio/*", "application/octet-stream", "binary/octet-stream"], Truncate: false);

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
        var copy = range is { } r
            ? await store.DownloadRangeAsync(blobName, r.Offset, r.Length, cancellationToken, StorageNames.RemoteMediaContainer)
            : await store.DownloadAsync(blobName, cancellationToken, StorageNames.RemoteMediaContainer);
        if (copy is null)
        {
            var fetched = await FetchAsync(remote, cancellationToken);
            if (fetched is not { } file)
            {
                return WireResult.Empty(StatusCodes.Status502BadGateway).WithHeader("Cache-Control", "public, max-age=60").WithHeader("X-Content-Type-Options", "nosniff");
            }

            await store.PutRemoteCopyAsync(blobName, file.Data, file.ContentType, cancellationToken);
            copy = range is { } part ? Slice(file, part.Offset, part.Length) : file;
        }

        if (range is null)
        {
            return Headers(WireResult.Bytes(StatusCodes.Status200OK, copy.Data, copy.ContentType), etag);
        }

        if (copy.Data.Length == 0)
        {
            return Headers(WireResult.Empty(StatusCodes.Status416RangeNotSatisfiable), etag)
                .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{copy.Length}"));
        }

        return Headers(WireResult.Bytes(StatusCodes.Status206PartialContent, copy.Data, copy.ContentType), etag)
            .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {copy.Offset}-{copy.Offset + copy.Data.Length - 1}/{copy.Length}"));
    }

    /// <summary>The file and the type its bytes say it is, or null when it could not be fetched or is no image, video or audio file.</summary>
    private async Task<MediaFile?> FetchAsync(Uri remote, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetBoundedAsync(remote, Accept, Bounds, cancellationToken);
            if (!response.IsSuccess)
            {
                return null;
            }

            return ContentTypeOf(response.Body) is { } type ? new MediaFile(response.Body, type) : null;
        }
        catch (RemoteFetchException e)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Remote media from {Host} not copied: {Reason}", remote.Host, e.Reason);
            }

            return null;
        }
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

    private static MediaFile Slice(MediaFile file, long offset, long length)
    {
        var start = offset < 0 ? Math.Max(0, file.Data.Length + offset) : Math.Min(offset, file.Data.Length);
        var count = (int)Math.Min(length, file.Data.Length - start);
        return new MediaFile(file.Data.AsSpan((int)start, count).ToArray(), file.ContentType, start, file.Data.Length);
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
