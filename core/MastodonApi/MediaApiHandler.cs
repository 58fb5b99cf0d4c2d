using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Media;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/media</c> and <c>/api/v2/media</c> (docs: methods/media). Every endpoint needs <c>write:media</c>.
/// Uploads are processed within the request, so v2 answers 200 with the finished attachment (never 202 with a null url).
/// Errors: 401/403 from auth, 422 for a refused file or parameter, 404 for media that is not the caller's or is attached.
/// </summary>
public sealed class MediaApiHandler(ApiEndpoint api, MediaService media, MediaAttachmentMapper mapper)
{
    /// <summary>Room for the other form fields and multipart framing around the largest accepted file.</summary>
    private const int FormOverheadBytes = 64 * 1024;

    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r =>
        {
            if (request.ContentLength > MediaLimits.ImageSizeLimit + FormOverheadBytes)
            {
                return TooLarge();
            }

            if (!request.HasFormContentType)
            {
                return Invalid("File can't be blank (send multipart/form-data with a 'file' part)");
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MediaLimits.ImageSizeLimit + FormOverheadBytes }, cancellationToken);
            }
            catch (InvalidDataException)
            {
                return Invalid("the form body could not be read (too large or malformed)");
            }

            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
            {
                return Invalid("File can't be blank");
            }

            if (file.Length > MediaLimits.ImageSizeLimit)
            {
                return TooLarge();
            }

            var data = new byte[file.Length];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(data, cancellationToken);
            }

            return Respond(await media.UploadAsync(r.Account, data, Field(form, "description"), Field(form, "focus"), cancellationToken));
        }, cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media"), async r => Respond(await media.GetAsync(r.Account, id, cancellationToken)), cancellationToken);

    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:media").WithParameters(), async r =>
            Respond(await media.UpdateAsync(r.Account, id, r.Parameters.Get("description"), r.Parameters.Get("focus"), cancellationToken)), cancellationToken);

    private WireResult Respond(MediaResult result) =>
        result.Media is { } attachment ? Ok(mapper.ToMediaAttachment(attachment), Wire.MediaAttachment) : Error(result.Error!.Value, result.Message!);

    private static WireResult TooLarge() => Invalid($"File size must be at most {MediaLimits.ImageSizeLimit / (1024 * 1024)} MB");

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
