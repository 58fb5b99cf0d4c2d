using System.Globalization;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// The pipeline for video and audio uploads, without transcoding (no ffmpeg runs on Flex Consumption): recognise the
/// container from the bytes, read it (<see cref="Probe"/>: type, duration, size, frame rate; Mastodon's limits), remove
/// its metadata (<see cref="Strip"/>: each format's stripper keeps the file playable), and make the preview
/// (<see cref="Poster"/>: the client's thumbnail through the image pipeline, or a <see cref="NeutralPoster"/>).
/// Pure and thread-safe: no storage, no clock. Memory: the upload, and for MP3, Ogg and WAV one stripped copy of it
/// (MP4 and WebM are stripped in place).
/// </summary>
public static class AvProcessor
{
    /// <summary>Whether the bytes look like one of the audio/video containers (not whether they are valid).</summary>
    public static bool IsAudioOrVideo(ReadOnlySpan<byte> data) => MediaSniffer.DetectContainer(data) != AvContainer.Unknown;

    /// <summary>Reads the container and checks Mastodon's limits (size, frame size, frame rate); nothing is changed.</summary>
    public static AvProbe Probe(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            return new AvProbe(null, "Validation failed: File can't be blank");
        }

        if (data.Length > MediaLimits.VideoSizeLimit)
        {
            return new AvProbe(null, $"Validation failed: File size must be at most {MediaLimits.VideoSizeLimit / (1024 * 1024)} MB");
        }

        AvProbe probe;
        try
        {
            probe = MediaSniffer.DetectContainer(data) switch
            {
                AvContainer.IsoMedia => IsoMediaParser.Parse(data),
                AvContainer.Matroska => MatroskaParser.Parse(data),
                AvContainer.Mp3 => Mp3Parser.Parse(data),
                AvContainer.Ogg => OggParser.Parse(data),
                AvContainer.Wave => WaveParser.Parse(data),
                _ => AvProbe.Invalid("File content type is not supported"),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            // Every read is bounds-checked; a structure that still reaches past its end is malformed, not a server error.
            probe = AvProbe.Invalid("the file's structure could not be read");
        }

        if (probe.Info is not { } info)
        {
            return probe;
        }

        if (info.Pixels > MediaLimits.VideoMatrixLimit)
        {
            return AvProbe.Invalid(string.Create(CultureInfo.InvariantCulture, $"video frames of {info.Pixels} pixels are not supported (at most {MediaLimits.VideoMatrixLimit} pixels)"));
        }

        if (info.FrameRate > MediaLimits.VideoFrameRateLimit)
        {
            return AvProbe.Invalid(string.Create(CultureInfo.InvariantCulture, $"videos over {MediaLimits.VideoFrameRateLimit} frames per second are not supported ({info.FrameRate:0.##})"));
        }

        if (info.Type == "video" && (info.Width <= 0 || info.Height <= 0 || info.FrameRateDenominator == 0))
        {
            return AvProbe.Invalid("the video track has no frames or no size");
        }

        return info.Duration is > 0 and < 1e7 ? probe : AvProbe.Invalid("the file has no duration (no sound or frames)");
    }

    /// <summary>
    /// The file without its metadata, as <paramref name="info"/> was read from it: MP4 and WebM in place (the same array),
    /// the others as a new array. Null when the structure cannot be walked again, which a probed file never gives.
    /// </summary>
    public static byte[]? Strip(byte[] data, AvInfo info)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(info);
        try
        {
            return info.Container switch
            {
                AvContainer.IsoMedia => IsoMediaStripper.Strip(data) ? data : null,
                AvContainer.Matroska => MatroskaStripper.Strip(data) ? data : null,
                AvContainer.Mp3 => Mp3Stripper.Strip(data),
                AvContainer.Ogg => OggStripper.Strip(data),
                AvContainer.Wave => WaveStripper.Strip(data),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// The preview: the client's <paramref name="thumbnail"/> processed like any image (format from its bytes, metadata
    /// gone, at most <see cref="MediaLimits.SmallPixels"/> pixels, its BlurHash), or the neutral poster when there is none.
    /// </summary>
    public static MediaProcessingResult Poster(byte[]? thumbnail, AvInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var image = thumbnail is { Length: > 0 } ? thumbnail : NeutralPoster.Render(info.Type, info.Width, info.Height);
        var small = ImageTarget.Fit(MediaLimits.SmallPixels);
        var processed = MediaProcessor.Process(image, small, small);
        if (processed.Media is not { } media)
        {
            return processed.Message is { } error ? MediaProcessingResult.Invalid(error.Replace("Validation failed: File", "Validation failed: Thumbnail", StringComparison.Ordinal)) : processed;
        }

        // The preview is static even for an animated GIF thumbnail: the first frame, re-encoded.
        return MediaProcessingResult.Ok(media with { Original = media.Small, Animated = false });
    }
}
