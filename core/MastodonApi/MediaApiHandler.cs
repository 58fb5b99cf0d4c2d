using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Media;
using ServerlessFedi.Media.Av;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/media</c> and <c>/api/v2/media</c> (docs: methods/media). Every endpoint needs <c>write:media</c>.
/// Images are processed within the request (200). Video and audio: v1 processes them within the request (200); v2 checks
/// them, stores the file as received and answers 202 with <c>url: null</c>, the media queue finishes them, and
/// <c>GET /api/v1/media/:id</c> answers 206 until then, as Mastodon does. Errors: 401/403 from auth, 422 for a refused
/// file or parameter (or media whose processing failed), 404 for media that is not the caller's or is attached.
/// The bodies are read here, not by <see cref="ApiEndpoint"/>: their size is checked and the host's limit raised first.
/// </summary>
public sealed class MediaApiHandler(ApiEndpoint api, MediaService media, MediaAttachmentMapper mapper)
{
    /// <summary>Room for the other form fields and multipart framing around the largest accepted files.</summary>
    private const int FormOverheadBytes = 64 * 1024;

    /// <summary>The largest body an upload may have: a clip at the video limit and a thumbnail at the image limit.</summary>
    private const long MaxUploadBody = (long)MediaLimits.VideoSizeLimit + MediaLimits.ImageSizeLimit + FormOverheadBytes;

    /// <summary>Bytes read to recognise a file before deciding which size limit applies.</summary>
    private const int SniffBytes = 64;

    /// <summary><paramref name="deferred"/>: v2, where video and audio finish in the media queue.</summary>
    public Task<WireResult> CreateAsync(HttpRequest request, bool deferred, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r =>
        {
            if (request.ContentLength > MaxUploadBody)
            {
                return TooLarge(MediaLimits.VideoSizeLimit);
            }

            if (!request.HasFormContentType)
            {
                return Invalid("File can't be blank (send multipart/form-data with a 'file' part)");
            }

            var form = await ReadFormAsync(request, cancellationToken);
            if (form is null)
            {
                return Invalid("the form body could not be read (too large or malformed)");
            }

            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
            {
                return Invalid("File can't be blank");
            }

            var (data, limit) = await ReadFileAsync(file, cancellationToken);
            if (data is null)
            {
                return TooLarge(limit);
            }

            byte[]? thumbnail = null;
            if (form.Files.GetFile("thumbnail") is { Length: > 0 } thumbnailFile)
            {
                if (thumbnailFile.Length > MediaLimits.ImageSizeLimit)
                {
                    return ThumbnailTooLarge();
                }

                thumbnail = await ReadAllAsync(thumbnailFile, cancellationToken);
            }

            var result = await media.UploadAsync(r.Account, data, thumbnail, Field(form, "description"), Field(form, "focus"), deferred, cancellationToken);
            return Respond(result, StatusCodes.Status202Accepted);
        }, cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r => Respond(await media.GetAsync(r.Account, id, cancellationToken)), cancellationToken);

    /// <summary><c>PUT /api/v1/media/:id</c>: description and focus (form, multipart or JSON), and a new <c>thumbnail</c> (multipart).</summary>
    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r =>
        {
            if (request.ContentLength > MediaLimits.ImageSizeLimit + FormOverheadBytes)
            {
                return ThumbnailTooLarge();
            }

            byte[]? thumbnail = null;
            if (request.HasFormContentType)
            {
                var form = await ReadFormAsync(request, cancellationToken);
                if (form is null)
                {
                    return BadRequest("The form body could not be parsed");
                }

                if (form.Files.GetFile("thumbnail") is { Length: > 0 } file)
                {
                    if (file.Length > MediaLimits.ImageSizeLimit)
                    {
                        return ThumbnailTooLarge();
                    }

                    thumbnail = await ReadAllAsync(file, cancellationToken);
                }
            }

            // The form read above is cached on the request, so this reads its fields (or a JSON body) without a second pass.
            var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
            if (p is null)
            {
                return BadRequest(error!);
            }

            return Respond(await media.UpdateAsync(r.Account, id, p.Get("description"), p.Get("focus"), thumbnail, cancellationToken));
        }, cancellationToken);

    /// <summary><c>DELETE /api/v1/media/:id</c> (Mastodon 4.4): the caller's unattached media; <c>{}</c>, 404 for another's or unknown media, 422 while a status holds it.</summary>
    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r =>
        {
            var result = await media.DeleteUnattachedAsync(r.Account, id, cancellationToken);
            return result.Media is null ? Error(result.Error!.Value, result.Message!) : Done();
        }, cancellationToken);

    /// <summary>200 when complete; 202 for a queued upload, 206 when it is asked for again before it is done; 422 when it failed.</summary>
    private WireResult Respond(MediaResult result, int queuedStatus = StatusCodes.Status206PartialContent)
    {
        if (result.Media is not { } m)
        {
            return Error(result.Error!.Value, result.Message!);
        }

        return m.Processing switch
        {
            MediaProcessingState.Failed => Error(ServiceError.Invalid, m.ProcessingError ?? "Error processing thumbnail for uploaded media"),
            MediaProcessingState.Queued => WireResult.Json(queuedStatus, mapper.ToMediaAttachment(m), Wire.MediaAttachment),
            _ => Ok(mapper.ToMediaAttachment(m), Wire.MediaAttachment),
        };
    }

    /// <summary>
    /// The form, read with room for a clip and its thumbnail. The host's default body limit (Kestrel's 30 MB) is raised for
    /// this request only; on Azure the Functions host itself refuses bodies over 100 MB before the worker sees them.
    /// </summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBody;
        }

        try
        {
            return await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxUploadBody }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        catch (BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The file's bytes and the size limit of what its first bytes say it is (16 MB for images, 99 MB for video and
    /// audio); null bytes when it is over that limit, which is then answered without reading the rest.
    /// </summary>
    private static async Task<(byte[]? Data, int Limit)> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var head = new byte[Math.Min(SniffBytes, file.Length)];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(head, cancellationToken);
        }

        var limit = AvProcessor.IsAudioOrVideo(head) ? MediaLimits.VideoSizeLimit : MediaLimits.ImageSizeLimit;
        return (file.Length > limit ? null : await ReadAllAsync(file, cancellationToken), limit);
    }

    private static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var data = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(data, cancellationToken);
        return data;
    }

    private static WireResult TooLarge(int limit) => Invalid($"File size must be at most {limit / (1024 * 1024)} MB");

    private static WireResult ThumbnailTooLarge() => Invalid($"Thumbnail size must be at most {MediaLimits.ImageSizeLimit / (1024 * 1024)} MB");

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
