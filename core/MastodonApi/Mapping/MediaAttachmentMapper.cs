using System.Globalization;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Uploads and remote attachments onto the wire (docs: entities/MediaAttachment).</summary>
public sealed class MediaAttachmentMapper(InstanceUrls urls)
{
    /// <summary>
    /// A local upload: our files, so no remote URLs; <c>meta</c> as <see cref="MediaMeta"/> describes. While a v2 upload is
    /// processing, <c>url</c> is null (docs: methods/media#v2).
    /// </summary>
    public Entities.MediaAttachment ToMediaAttachment(Media.MediaAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new Entities.MediaAttachment
        {
            Id = m.Id,
            Type = m.Type,
            Url = m.Processing == MediaProcessingState.Complete ? urls.Media(m.OriginalBlob) : null,
            PreviewUrl = urls.Media(m.SmallBlob),
            Meta = Meta(m),
            Description = m.Description,
            Blurhash = m.Blurhash,
        };
    }

    /// <summary>
    /// A remote status's attachment: <c>remote_url</c> is the remote file; <c>url</c> and <c>preview_url</c> are served
    /// through this instance when it proxies remote media (<see cref="InstanceUrls.RemoteMedia"/>), else they are the remote
    /// file too. An image is its own preview; a video or audio file is no preview image, so theirs is the sender's
    /// thumbnail (the Document's <c>icon</c>) when it sent one. <c>meta.original</c> only when the remote server gave the
    /// size. The id is derived from the status and position (no media row exists for it).
    /// </summary>
    public Entities.MediaAttachment ToMediaAttachment(string statusId, int index, RemoteAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new Entities.MediaAttachment
        {
            Id = Federation.RemoteAccountIds.For(string.Create(CultureInfo.InvariantCulture, $"{statusId}/media/{index}")),
            Type = m.Type,
            Url = urls.RemoteMedia(RemoteMediaOwner.Statuses, statusId, m.Url),
            PreviewUrl = urls.RemoteMedia(RemoteMediaOwner.Statuses, statusId, m.Type is "video" or "audio" ? m.PreviewUrl : m.Url),
            RemoteUrl = m.Url,
            Meta = new MediaMeta { Original = m.Width is { } width && m.Height is { } height ? MediaSize.Of(width, height) : null, Focus = Focus(m.FocusX, m.FocusY) },
            Description = m.Description,
            Blurhash = m.Blurhash,
        };
    }

    /// <summary>"H:MM:SS.ss", hours not padded, as Mastodon's <c>meta.length</c>.</summary>
    public static string Length(double seconds)
    {
        var centiseconds = (long)Math.Round(Math.Max(0, seconds) * 100);
        var (hours, rest) = Math.DivRem(centiseconds, 360_000);
        var (minutes, rest2) = Math.DivRem(rest, 6_000);
        var (whole, fraction) = Math.DivRem(rest2, 100);
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{whole:00}.{fraction:00}");
    }

    private static MediaMeta Meta(Media.MediaAttachment m)
    {
        var small = MediaSize.Of(m.SmallWidth, m.SmallHeight);
        var focus = Focus(m.FocusX, m.FocusY);
        if (m.Type is not ("video" or "audio") || m.Duration is not { } duration)
        {
            return new MediaMeta { Original = MediaSize.Of(m.OriginalWidth, m.OriginalHeight), Small = small, Focus = focus };
        }

        var frame = m.Type == "video" ? MediaSize.Of(m.OriginalWidth, m.OriginalHeight) : null;
        var sound = m.AudioCodec is not null;
        return new MediaMeta
        {
            Length = Length(duration),
            Duration = Math.Round(duration, 2),
            Fps = frame is null ? null : (int)Math.Round(FramesPerSecond(m.FrameRate)),
            Width = frame?.Width,
            Height = frame?.Height,
            Size = frame?.Size,
            Aspect = frame?.Aspect,
            AudioEncode = m.AudioCodec,
            AudioBitrate = sound && m.AudioSampleRate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate} Hz") : null,
            AudioChannels = sound ? Channels(m.AudioChannels) : null,
            Original = new MediaClipMeta(frame?.Width, frame?.Height, frame is null ? null : m.FrameRate ?? "0/0", Math.Round(duration, 6), m.Bitrate ?? 0),
            Small = small,
            Focus = focus,
        };
    }

    private static string? Channels(int? channels) => channels switch
    {
        1 => "mono",
        2 => "stereo",
        { } n => string.Create(CultureInfo.InvariantCulture, $"{n} channels"),
        null => null,
    };

    private static double FramesPerSecond(string? rate)
    {
        var parts = (rate ?? "").Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0
            ? n / d
            : 0;
    }

    private static MediaFocus? Focus(double? x, double? y) => x is { } fx && y is { } fy ? new MediaFocus(fx, fy) : null;
}
