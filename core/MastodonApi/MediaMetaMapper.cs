using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFedi.Media;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// A local MediaAttachment's <c>meta</c> (docs: entities/MediaAttachment, examples for image, video and audio): images
/// have <c>original</c> and <c>small</c> sizes; video adds, as Mastodon writes them, <c>length</c> ("0:01:28.65"),
/// <c>duration</c>, <c>fps</c>, <c>size</c>, <c>width</c>, <c>height</c>, <c>aspect</c> at the top and
/// <c>frame_rate</c> ("30/1"), <c>duration</c>, <c>bitrate</c> in <c>original</c>; audio has <c>length</c>,
/// <c>duration</c> and <c>original.duration</c>/<c>bitrate</c>; both carry <c>audio_encode</c>, <c>audio_bitrate</c>
/// (Mastodon puts the sample rate there: "44100 Hz") and <c>audio_channels</c> when there is sound. <c>small</c> is the
/// poster; <c>focus</c> once one is set.
/// </summary>
public static class MediaMetaMapper
{
    public static JsonObject Meta(MediaAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var meta = new JsonObject();
        if (m.Type is "video" or "audio" && m.Duration is { } duration)
        {
            meta["length"] = Length(duration);
            meta["duration"] = Math.Round(duration, 2);
            var original = new JsonObject();
            if (m.Type == "video")
            {
                var fps = FramesPerSecond(m.FrameRate);
                meta["fps"] = (int)Math.Round(fps);
                foreach (var (key, value) in Size(m.OriginalWidth, m.OriginalHeight))
                {
                    meta[key] = value?.DeepClone();
                }

                original["width"] = m.OriginalWidth;
                original["height"] = m.OriginalHeight;
                original["frame_rate"] = m.FrameRate ?? "0/0";
            }

            if (m.AudioCodec is { } codec)
            {
                meta["audio_encode"] = codec;
                meta["audio_bitrate"] = m.AudioSampleRate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate} Hz") : null;
                meta["audio_channels"] = m.AudioChannels switch { 1 => "mono", 2 => "stereo", { } n => string.Create(CultureInfo.InvariantCulture, $"{n} channels"), null => null };
            }

            original["duration"] = Math.Round(duration, 6);
            original["bitrate"] = m.Bitrate ?? 0;
            meta["original"] = original;
        }
        else
        {
            meta["original"] = Size(m.OriginalWidth, m.OriginalHeight);
        }

        meta["small"] = Size(m.SmallWidth, m.SmallHeight);
        if (m.FocusX is { } x && m.FocusY is { } y)
        {
            meta["focus"] = new JsonObject { ["x"] = x, ["y"] = y };
        }

        return meta;
    }

    /// <summary>Width, height, "WxH" and aspect ratio, as Mastodon's <c>original</c> and <c>small</c> of an image.</summary>
    public static JsonObject Size(int width, int height) => new()
    {
        ["width"] = width,
        ["height"] = height,
        ["size"] = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
        ["aspect"] = height == 0 ? 0 : width / (double)height,
    };

    /// <summary>"H:MM:SS.ss", hours not padded, as Mastodon's <c>meta.length</c>.</summary>
    public static string Length(double seconds)
    {
        var centiseconds = (long)Math.Round(Math.Max(0, seconds) * 100);
        var (hours, rest) = Math.DivRem(centiseconds, 360_000);
        var (minutes, rest2) = Math.DivRem(rest, 6_000);
        var (whole, fraction) = Math.DivRem(rest2, 100);
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{whole:00}.{fraction:00}");
    }

    private static double FramesPerSecond(string? rate)
    {
        var parts = (rate ?? "").Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0
            ? n / d
            : 0;
    }
}
