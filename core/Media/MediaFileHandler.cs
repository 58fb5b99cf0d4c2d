using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.Media;

/// <summary>
/// Serves media files at <c>/media/{blob name}</c> when no <c>Fedi__MediaBaseUrl</c> puts a CDN in front of the
/// container. Files are immutable under their names, so they are cached for a year and revalidated by a name-derived
/// ETag without touching storage. <c>nosniff</c> and a sandboxing CSP make sure a file is only ever what its name says.
/// Video and audio players ask for byte ranges (Safari plays nothing without them; every browser seeks with them): a
/// single range is answered 206 with at most <see cref="MaxRangeBytes"/> bytes (players ask again for the rest), a range
/// past the end 416. Storage: 1 blob read per uncached request (a suffix range +1), none for a revalidation.
/// </summary>
public sealed partial class MediaFileHandler(MediaStore store)
{
    /// <summary>The most one ranged answer carries, so a 99 MB clip never sits in memory whole for a player.</summary>
    public const int MaxRangeBytes = 8 * 1024 * 1024;

    public async Task<WireResult> GetAsync(HttpRequest request, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var match = BlobName().Match(path ?? "");
        if (!match.Success)
        {
            return NotFound();
        }

        var etag = $"\"{match.Groups["token"].Value}-{match.Groups["variant"].Value}\"";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && (v == etag || v == "*" || v.Split(',', StringSplitOptions.TrimEntries).Contains(etag))))
        {
            return Headers(WireResult.Empty(StatusCodes.Status304NotModified), etag);
        }

        var contentType = match.Groups["ext"].Value switch
        {
            "jpg" => "image/jpeg",
            "png" => "image/png",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "mp4" => "video/mp4",
            "webm" => "video/webm",
            "weba" => "audio/webm",
            "m4a" => "audio/mp4",
            "mp3" => "audio/mpeg",
            "ogg" => "audio/ogg",
            _ => "audio/wav",
        };
        if (ParseRange(request.Headers.Range.ToString()) is { } range)
        {
            var part = await store.DownloadRangeAsync(path!, range.Offset, range.Length, cancellationToken);
            if (part is null)
            {
                return NotFound();
            }

            if (part.Data.Length == 0)
            {
                return Headers(WireResult.Empty(StatusCodes.Status416RangeNotSatisfiable), etag)
                    .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{part.Length}"));
            }

            return Headers(WireResult.Bytes(StatusCodes.Status206PartialContent, part.Data, contentType), etag)
                .WithHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {part.Offset}-{part.Offset + part.Data.Length - 1}/{part.Length}"));
        }

        var file = await store.DownloadAsync(path!, cancellationToken);
        if (file is null)
        {
            return NotFound();
        }

        return Headers(WireResult.Bytes(StatusCodes.Status200OK, file.Data, contentType), etag);
    }

    /// <summary>
    /// One byte range (RFC 9110 14.1.2): <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> (the last n, as a negative
    /// offset), limited to <see cref="MaxRangeBytes"/>. Anything else, several ranges included, is ignored and the whole
    /// file is sent, which RFC 9110 14.2 allows.
    /// </summary>
    public static (long Offset, long Length)? ParseRange(string? header)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var (first, last) = (spec[..dash].Trim(), spec[(dash + 1)..].Trim());
        if (first.Length == 0)
        {
            return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0
                ? (-Math.Min(suffix, MaxRangeBytes), Math.Min(suffix, MaxRangeBytes))
                : null;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        if (last.Length == 0)
        {
            return (start, MaxRangeBytes);
        }

        return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end >= start
            ? (start, Math.Min(end - start + 1, MaxRangeBytes))
            : null;
    }

    /// <summary>What every media answer carries: the ETag, caching, ranges, <c>nosniff</c>, a sandboxing CSP and CORS.</summary>
    internal static WireResult Headers(WireResult result, string etag, string cacheControl = MediaStore.ImmutableCacheControl) =>
        result.WithHeader("ETag", etag)
            .WithHeader("Cache-Control", cacheControl)
            .WithHeader("Accept-Ranges", "bytes")
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("Content-Security-Policy", "default-src 'none'; sandbox")
            .WithHeader("Access-Control-Allow-Origin", "*");

    internal static WireResult NotFound() =>
        WireResult.Empty(StatusCodes.Status404NotFound)
            .WithHeader("Cache-Control", "public, max-age=60")
            .WithHeader("X-Content-Type-Options", "nosniff");

    /// <summary>The only names <c>StorageKeys.MediaBlob</c> and <c>StorageKeys.CardImageBlob</c> make; anything else (traversal, listing) is a 404.</summary>
    [GeneratedRegex("^(?:cards/)?(?<id>[0-9]{18})/(?<token>[0-9a-f]{16})/(?<variant>original|small)\\.(?<ext>jpg|png|gif|webp|mp4|webm|weba|m4a|mp3|ogg|wav)$")]
    private static partial Regex BlobName();
}
