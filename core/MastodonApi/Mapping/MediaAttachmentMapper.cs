using System.Globalization;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Uploads and remote attachments onto the wire (docs: entities/MediaAttachment).</summary>
public sealed class MediaAttachmentMapper(InstanceUrls urls)
{
    /// <summary>A local upload: our files, so no remote URLs; <c>meta</c> has <c>original</c>, <c>small</c> and <c>focus</c> once one is set.</summary>
    public MediaAttachment ToMediaAttachment(ServerlessFedi.Media.MediaAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new MediaAttachment
        {
            Id = m.Id,
            Type = m.Type,
            Url = urls.Media(m.OriginalBlob),
            PreviewUrl = urls.Media(m.SmallBlob),
            Meta = new MediaMeta { Original = MediaSize.Of(m.OriginalWidth, m.OriginalHeight), Small = MediaSize.Of(m.SmallWidth, m.SmallHeight), Focus = Focus(m.FocusX, m.FocusY) },
            Description = m.Description,
            Blurhash = m.Blurhash,
        };
    }

    /// <summary>
    /// A remote status's attachment: <c>url</c>, <c>remote_url</c> and <c>preview_url</c> are the remote file (remote media is
    /// not cached, so clients load it from its server); <c>meta.original</c> only when the remote server gave the size.
    /// The id is derived from the status and position (no media row exists for it).
    /// </summary>
    public static MediaAttachment ToMediaAttachment(string statusId, int index, RemoteAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new MediaAttachment
        {
            Id = Federation.RemoteAccountIds.For(string.Create(CultureInfo.InvariantCulture, $"{statusId}/media/{index}")),
            Type = m.Type,
            Url = m.Url,
            PreviewUrl = m.Url,
            RemoteUrl = m.Url,
            Meta = new MediaMeta { Original = m.Width is { } width && m.Height is { } height ? MediaSize.Of(width, height) : null, Focus = Focus(m.FocusX, m.FocusY) },
            Description = m.Description,
            Blurhash = m.Blurhash,
        };
    }

    private static MediaFocus? Focus(double? x, double? y) => x is { } fx && y is { } fy ? new MediaFocus(fx, fy) : null;
}
