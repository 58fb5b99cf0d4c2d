namespace ServerlessFedi.Media;

/// <summary>
/// A processed upload as stored: where its two files are, their sizes, the alt text and focal point. The Mastodon and
/// ActivityPub mappers convert it; a status keeps a copy of each of its attachments (media is frozen once attached).
/// </summary>
public sealed record MediaAttachment
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary>
    /// Mastodon's attachment type: <c>image</c> (animated GIFs stay GIFs, which clients show as images), <c>video</c> or
    /// <c>audio</c>. For video and audio the original is the clip and the small file its poster.
    /// </summary>
    public string Type { get; init; } = "image";

    public required string OriginalBlob { get; init; }

    public required string OriginalContentType { get; init; }

    public int OriginalWidth { get; init; }

    public int OriginalHeight { get; init; }

    public required string SmallBlob { get; init; }

    public required string SmallContentType { get; init; }

    public int SmallWidth { get; init; }

    public int SmallHeight { get; init; }

    /// <summary>Alt text; null when none was given.</summary>
    public string? Description { get; init; }

    /// <summary>Focal point x in [-1, 1] (left to right); null when none was set.</summary>
    public double? FocusX { get; init; }

    /// <summary>Focal point y in [-1, 1] (bottom to top, as Mastodon's focal points).</summary>
    public double? FocusY { get; init; }

    public required string Blurhash { get; init; }

    /// <summary>The status it is attached to; null while unattached (only then may its owner edit it).</summary>
    public string? StatusId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Complete, or (v2 video and audio) queued or failed; only complete media can be attached.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MediaProcessingState>))]
    public MediaProcessingState Processing { get; init; }

    /// <summary>Why processing failed (Mastodon's 422 text), when it did.</summary>
    public string? ProcessingError { get; init; }

    /// <summary>Seconds of video or audio.</summary>
    public double? Duration { get; init; }

    /// <summary>Average frames per second as a fraction (<c>"30/1"</c>), as ffprobe reports it.</summary>
    public string? FrameRate { get; init; }

    /// <summary>Bits per second of the stored file (its size over its duration).</summary>
    public long? Bitrate { get; init; }

    public string? AudioCodec { get; init; }

    public int? AudioSampleRate { get; init; }

    public int? AudioChannels { get; init; }

    /// <summary>The preview is the client's thumbnail (federated as the Document's <c>icon</c>), not the neutral poster.</summary>
    public bool CustomThumbnail { get; init; }

    /// <summary>
    /// When the status holding it was deleted without <c>delete_media</c>: unattached again and kept for
    /// <see cref="MediaLimits.UnattachedLifetime"/> from then, so "delete and redraft" can attach it again (Mastodon 4.4).
    /// </summary>
    public DateTimeOffset? DetachedAt { get; init; }
}
