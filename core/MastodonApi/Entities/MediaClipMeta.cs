using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>meta[original]</c> of a video or audio file, as Mastodon writes it: the frame's <c>width</c> and <c>height</c> and
/// the <c>frame_rate</c> fraction ("30/1") for video only, then <c>duration</c> (seconds) and <c>bitrate</c> (bits per second).
/// </summary>
public sealed record MediaClipMeta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Width,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Height,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FrameRate,
    double Duration,
    long Bitrate) : MediaFileMeta;
