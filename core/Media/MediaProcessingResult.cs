namespace ServerlessFedi.Media;

/// <summary>The processed media, or why the upload is refused with the HTTP status Mastodon uses (422).</summary>
public sealed record MediaProcessingResult(ProcessedMedia? Media, int ErrorStatus, string? Error)
{
    public static MediaProcessingResult Ok(ProcessedMedia media) => new(media, 0, null);

    public static MediaProcessingResult Invalid(string error) => new(null, 422, error);
}
