using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// A MediaAttachment's <c>meta</c> (docs: entities/MediaAttachment#meta and its image, video and audio examples). An image
/// has the sizes of the <c>original</c> and the <c>small</c> preview. Video adds at the top, as Mastodon writes them,
/// <c>length</c> ("0:01:28.65"), <c>duration</c>, <c>fps</c> and the frame's <c>width</c>, <c>height</c>, <c>size</c>
/// and <c>aspect</c>; audio has <c>length</c> and <c>duration</c>; both carry <c>audio_encode</c>, <c>audio_bitrate</c>
/// (Mastodon puts the sample rate there: "44100 Hz") and <c>audio_channels</c> when there is sound, and their
/// <c>small</c> is the poster. <c>focus</c> once one is set. Each field is left out when unknown or not of this kind.
/// </summary>
public sealed record MediaMeta
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Length { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Duration { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Fps { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Width { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Height { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Size { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Aspect { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AudioEncode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AudioBitrate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AudioChannels { get; init; }

    /// <summary>An image's <see cref="MediaSize"/>, or a video or audio file's <see cref="MediaClipMeta"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaFileMeta? Original { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaSize? Small { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaFocus? Focus { get; init; }
}
