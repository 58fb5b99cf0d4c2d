namespace ServerlessFedi.Media;

/// <summary>
/// Every media limit in one place: the upload pipeline enforces these numbers and <c>/api/v1|v2/instance</c> advertises
/// them (docs: entities/Instance, configuration.media_attachments). Values follow Mastodon's defaults (app/models/media_attachment.rb).
/// </summary>
public static class MediaLimits
{
    /// <summary>Largest upload in bytes (<c>image_size_limit</c>): 16 MiB, as Mastodon.</summary>
    public const int ImageSizeLimit = 16 * 1024 * 1024;

    /// <summary>
    /// Largest image in pixels (<c>image_matrix_limit</c>, 7680x4320 as Mastodon): refused from the header's
    /// dimensions before anything is decoded, so a small file that declares a huge canvas costs nothing.
    /// </summary>
    public const int ImageMatrixLimit = 33_177_600;

    /// <summary>
    /// The stored original is scaled down to at most this many pixels (2560x1440). Mastodon keeps 3840x2160 (8,294,400);
    /// here every follower's server downloads the original once, which makes its size the largest meter of the bill
    /// (docs/DEPLOY.md, "What it costs"), and 2560x1440 still fills a 1440p screen: 59 % fewer bytes per photo with the quality below.
    /// </summary>
    public const int OriginalPixels = 3_686_400;

    /// <summary>The preview (<c>small</c>) has at most this many pixels (640x360, Mastodon's <c>small</c> style).</summary>
    public const int SmallPixels = 230_400;

    /// <summary>Attachments per status (<c>max_media_attachments</c>).</summary>
    public const int MaxAttachmentsPerStatus = 4;

    /// <summary>Longest description (alt text) in characters, as Mastodon.</summary>
    public const int MaxDescriptionCharacters = 1_500;

    /// <summary>Unattached uploads older than this are deleted by the clean-up timer.</summary>
    public static readonly TimeSpan UnattachedLifetime = TimeSpan.FromDays(1);

    /// <summary>Largest video or audio upload in bytes (<c>video_size_limit</c>): 99 MiB, as Mastodon's <c>VIDEO_LIMIT</c>.</summary>
    public const int VideoSizeLimit = 99 * 1024 * 1024;

    /// <summary>Largest video frame in pixels (<c>video_matrix_limit</c>, 3840x2160 as Mastodon's <c>MAX_VIDEO_MATRIX_LIMIT</c>).</summary>
    public const int VideoMatrixLimit = 8_294_400;

    /// <summary>Highest frame rate (<c>video_frame_rate_limit</c>, as Mastodon's <c>MAX_VIDEO_FRAME_RATE</c>).</summary>
    public const int VideoFrameRateLimit = 120;

    /// <summary>
    /// What <c>supported_mime_types</c> lists: the formats recognised from their bytes, under every name a browser or app
    /// gives such a file (apps check a file's type against this list before uploading it).
    /// </summary>
    public static IReadOnlyList<string> SupportedMimeTypes { get; } =
    [
        "image/jpeg", "image/png", "image/gif", "image/webp",
        "video/mp4", "video/quicktime", "video/webm",
        "audio/mp4", "audio/m4a", "audio/x-m4a", "audio/mpeg", "audio/mp3", "audio/ogg", "audio/opus", "audio/vorbis", "audio/webm",
        "audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave",
    ];
}
