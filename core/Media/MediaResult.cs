namespace ServerlessFedi.Media;

/// <summary>Outcome of a media operation: the attachment, or an error with the HTTP status Mastodon uses (422 or 404).</summary>
public sealed record MediaResult(MediaAttachment? Media, int ErrorStatus, string? Error)
{
    public static MediaResult Ok(MediaAttachment media) => new(media, 0, null);

    public static MediaResult Invalid(string error) => new(null, 422, error);

    public static MediaResult NotFound() => new(null, 404, "Record not found");
}
