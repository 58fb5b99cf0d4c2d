namespace ServerlessFedi.Media.Av;

/// <summary>
/// What a container says about a clip, read without decoding a frame: Mastodon's attachment type, the MIME type and
/// file extension it is stored and served under, duration, display size and frame rate (video), and the audio stream's
/// codec, sample rate and channels when there is one.
/// </summary>
public sealed record AvInfo
{
    public required AvContainer Container { get; init; }

    /// <summary>Mastodon's attachment type: <c>video</c> when a video stream exists, else <c>audio</c>.</summary>
    public required string Type { get; init; }

    public required string ContentType { get; init; }

    public required string Extension { get; init; }

    /// <summary>Seconds.</summary>
    public required double Duration { get; init; }

    /// <summary>Display width (rotation applied); 0 for audio.</summary>
    public int Width { get; init; }

    /// <summary>Display height (rotation applied); 0 for audio.</summary>
    public int Height { get; init; }

    /// <summary>Coded pixels per frame (what <see cref="MediaLimits.VideoMatrixLimit"/> limits); 0 for audio.</summary>
    public long Pixels { get; init; }

    /// <summary>Frames per second as a fraction (<c>30000/1001</c>); 0/0 for audio.</summary>
    public long FrameRateNumerator { get; init; }

    public long FrameRateDenominator { get; init; }

    /// <summary>The video codec (<c>h264</c>, <c>hevc</c>, <c>vp8</c>, <c>vp9</c>, <c>av1</c>); null for audio.</summary>
    public string? VideoCodec { get; init; }

    /// <summary>The audio codec (<c>aac</c>, <c>opus</c>, <c>vorbis</c>, <c>mp3</c>, <c>pcm_s16le</c> ...); null for silent video.</summary>
    public string? AudioCodec { get; init; }

    public int? SampleRate { get; init; }

    public int? Channels { get; init; }

    public double FrameRate => FrameRateDenominator == 0 ? 0 : FrameRateNumerator / (double)FrameRateDenominator;
}
