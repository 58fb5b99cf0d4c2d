using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessFedi.Http;
using ServerlessFedi.Media;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/media</c> and <c>/api/v2/media</c> (docs: methods/media). Every endpoint needs <c>write:media</c>.
/// Uploads are processed within the request, so v2 answers 200 with the finished attachment (never 202 with a null url).
/// Errors: 401/403 from auth, 422 for a refused file or parameter, 404 for media that is not the caller's or is attached.
/// </summary>
public sealed class MediaApiHandler(ApiAuth auth, MediaService media, MastodonMapper mapper)
{
    /// <summary>Room for the other form fields and multipart framing around the largest accepted file.</summary>
    private const int FormOverheadBytes = 64 * 1024;

    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:media", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        if (request.ContentLength > MediaLimits.ImageSizeLimit + FormOverheadBytes)
        {
            return Cors(TooLarge());
        }

        if (!request.HasFormContentType)
        {
            return Cors(WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: File can't be blank (send multipart/form-data with a 'file' part)"));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MediaLimits.ImageSizeLimit + FormOverheadBytes }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return Cors(WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: the form body could not be read (too large or malformed)"));
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return Cors(WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: File can't be blank"));
        }

        if (file.Length > MediaLimits.ImageSizeLimit)
        {
            return Cors(TooLarge());
        }

        var data = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(data, cancellationToken);
        }

        var result = await media.UploadAsync(account!, data, Field(form, "description"), Field(form, "focus"), cancellationToken);
        return Respond(result);
    }

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:media", cancellationToken);
        return failure ?? Respond(await media.GetAsync(account!, id, cancellationToken));
    }

    public async Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:media", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return Cors(WireResult.Error(StatusCodes.Status400BadRequest, error!));
        }

        return Respond(await media.UpdateAsync(account!, id, p.Get("description"), p.Get("focus"), cancellationToken));
    }

    private WireResult Respond(MediaResult result) =>
        result.Media is null
            ? Cors(WireResult.Error(result.ErrorStatus, result.Error!))
            : Cors(WireResult.Json(StatusCodes.Status200OK, mapper.ToMediaAttachment(result.Media)));

    private static WireResult TooLarge() =>
        WireResult.Error(StatusCodes.Status422UnprocessableEntity, $"Validation failed: File size must be at most {MediaLimits.ImageSizeLimit / (1024 * 1024)} MB");

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static WireResult Cors(WireResult result) => result.WithCors();
}
