using ServerlessFedi.Storage;

namespace ServerlessFedi.Media;

/// <summary>Table row of a media attachment (PK account id, RK media id).</summary>
internal sealed class MediaEntity : StoredEntity
{
    public string Type { get; set; } = "image";
    public string OriginalBlob { get; set; } = "";
    public string OriginalContentType { get; set; } = "";
    public int OriginalWidth { get; set; }
    public int OriginalHeight { get; set; }
    public string SmallBlob { get; set; } = "";
    public string SmallContentType { get; set; } = "";
    public int SmallWidth { get; set; }
    public int SmallHeight { get; set; }
    public string? Description { get; set; }
    public double? FocusX { get; set; }
    public double? FocusY { get; set; }
    public string Blurhash { get; set; } = "";
    public string? StatusId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary><see cref="MediaProcessingState"/> by name; absent (rows from before video) means complete.</summary>
    public string? Processing { get; set; }
    public string? ProcessingError { get; set; }
    public double? Duration { get; set; }
    public string? FrameRate { get; set; }
    public long? Bitrate { get; set; }
    public string? AudioCodec { get; set; }
    public int? AudioSampleRate { get; set; }
    public int? AudioChannels { get; set; }
    public bool CustomThumbnail { get; set; }
    public DateTimeOffset? DetachedAt { get; set; }
}
