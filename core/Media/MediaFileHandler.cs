using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.Media;

/// <summary>
/// Serves media files at <c>/media/{blob name}</c> when no <c>Fedi__MediaBaseUrl</c> puts a CDN in front of the
/// container. Files are immutable under their names, so they are cached for a year and revalidated by a name-derived
/// ETag without touching storage. <c>nosniff</c> and a sandboxing CSP make sure a file is only ever an image.
/// Storage: 1 blob read per uncached request, none for a revalidation.
/// </summary>
public sealed partial class MediaFileHandler(MediaStore store)
{
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

        var file = await store.DownloadAsync(path!, cancellationToken);
        if (file is null)
        {
            return NotFound();
        }

        var contentType = match.Groups["ext"].Value switch
        {
            "jpg" => "image/jpeg",
            "png" => "image/png",
            "gif" => "image/gif",
            _ => "image/webp",
        };
        return Headers(WireResult.Bytes(StatusCodes.Status200OK, file.Data, contentType), etag);
    }

    private static WireResult Headers(WireResult result, string etag) =>
        result.WithHeader("ETag", etag)
            .WithHeader("Cache-Control", MediaStore.ImmutableCacheControl)
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("Content-Security-Policy", "default-src 'none'; sandbox")
            .WithHeader("Access-Control-Allow-Origin", "*");

    private static WireResult NotFound() =>
        WireResult.Empty(StatusCodes.Status404NotFound)
            .WithHeader("Cache-Control", "public, max-age=60")
            .WithHeader("X-Content-Type-Options", "nosniff");

    /// <summary>The only names <c>StorageKeys.MediaBlob</c> makes; anything else (traversal, listing) is a 404.</summary>
    [GeneratedRegex("^(?<id>[0-9]{18})/(?<token>[0-9a-f]{16})/(?<variant>original|small)\\.(?<ext>jpg|png|gif|webp)$")]
    private static partial Regex BlobName();
}
