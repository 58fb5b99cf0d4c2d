using System.Text.Json;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation;

/// <summary>
/// Reads a remote note's <c>attachment</c> entries (Document, Image, Video, Audio: <c>url</c>, <c>mediaType</c>, <c>name</c>
/// as alt text, <c>blurhash</c>, <c>width</c>, <c>height</c>, Mastodon's <c>focalPoint</c>, and <c>icon</c>, the thumbnail
/// Mastodon sends for video and audio) and its custom <c>Emoji</c> tags.
/// Only https URLs are kept (http only when <c>Fedi__AllowPrivateNetworks</c> is set, for tests): clients load them directly.
/// </summary>
public static class RemoteAttachmentParser
{
    /// <summary>More than Mastodon's four: remote servers (Pixelfed, Misskey) allow more; the rest is dropped.</summary>
    public const int MaxAttachments = 16;

    public const int MaxEmojis = 50;

    /// <summary>The BlurHash alphabet (base 83); anything else is not a blurhash and is dropped.</summary>
    private const string Base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    public static IReadOnlyList<RemoteAttachment> Attachments(JsonElement note, bool allowHttp)
    {
        var list = new List<RemoteAttachment>();
        foreach (var item in ActorDocumentParser.Many(note, "attachment"))
        {
            if (item.ValueKind != JsonValueKind.Object || list.Count >= MaxAttachments)
            {
                continue;
            }

            var objectType = ActorDocumentParser.TypeOf(item);
            if (objectType is not ("Document" or "Image" or "Video" or "Audio"))
            {
                continue; // PropertyValue and Link entries are profile fields or links, not media
            }

            var (url, linkMediaType) = UrlOf(item);
            if (!IsAllowedUrl(url, allowHttp))
            {
                continue;
            }

            var mediaType = ActorDocumentParser.String(item, "mediaType") ?? linkMediaType;
            var (focusX, focusY) = FocalPoint(item);
            list.Add(new RemoteAttachment
            {
                Type = TypeOf(mediaType, objectType),
                Url = url!,
                MediaType = mediaType is { Length: <= 100 } ? mediaType : null,
                Description = Limit(ActorDocumentParser.String(item, "name") ?? ActorDocumentParser.String(item, "summary"), 1500),
                Blurhash = ActorDocumentParser.String(item, "blurhash") is { Length: >= 6 and <= 100 } hash && hash.All(Base83.Contains) ? hash : null,
                Width = Dimension(item, "width"),
                Height = Dimension(item, "height"),
                FocusX = focusX,
                FocusY = focusY,
                PreviewUrl = item.TryGetProperty("icon", out var icon) && (icon.ValueKind == JsonValueKind.Object ? UrlOf(icon).Url : icon.ValueKind == JsonValueKind.String ? icon.GetString() : null) is { } preview
                    && IsAllowedUrl(preview, allowHttp) ? preview : null,
            });
        }

        return list;
    }

    /// <summary>Custom emoji from the note's <c>tag</c> entries of type <c>Emoji</c> (<c>name</c> <c>:code:</c>, <c>icon.url</c>).</summary>
    public static IReadOnlyList<RemoteEmoji> Emojis(JsonElement note, bool allowHttp)
    {
        var list = new List<RemoteEmoji>();
        foreach (var tag in ActorDocumentParser.Many(note, "tag"))
        {
            if (tag.ValueKind != JsonValueKind.Object || ActorDocumentParser.TypeOf(tag) != "Emoji" || list.Count >= MaxEmojis)
            {
                continue;
            }

            var code = (ActorDocumentParser.String(tag, "name") ?? "").Trim(':');
            var icon = tag.TryGetProperty("icon", out var i) ? i : default;
            var url = icon.ValueKind == JsonValueKind.Object ? UrlOf(icon).Url : icon.ValueKind == JsonValueKind.String ? icon.GetString() : null;
            if (code.Length is > 0 and <= 100 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@')
                && IsAllowedUrl(url, allowHttp) && list.All(e => e.Shortcode != code))
            {
                list.Add(new RemoteEmoji(code, url!));
            }
        }

        return list;
    }

    /// <summary>Mastodon's attachment type from the media type (or the ActivityStreams type when none is given).</summary>
    public static string TypeOf(string? mediaType, string? objectType)
    {
        var major = mediaType?.Split('/')[0].ToLowerInvariant();
        return major switch
        {
            "image" => "image",
            "video" => "video",
            "audio" => "audio",
            null => objectType switch { "Image" => "image", "Video" => "video", "Audio" => "audio", _ => "unknown" },
            _ => "unknown",
        };
    }

    public static bool IsAllowedUrl(string? url, bool allowHttp) =>
        url is { Length: <= RemoteValues.MaxUrlLength } && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || allowHttp && uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary><c>url</c> as a string, a Link object (<c>href</c>, with its own <c>mediaType</c>) or an array of either (the first usable).</summary>
    private static (string? Url, string? MediaType) UrlOf(JsonElement item)
    {
        foreach (var u in ActorDocumentParser.Many(item, "url"))
        {
            if (u.ValueKind == JsonValueKind.String)
            {
                return (u.GetString(), null);
            }

            if (u.ValueKind == JsonValueKind.Object && ActorDocumentParser.String(u, "href") is { } href)
            {
                return (href, ActorDocumentParser.String(u, "mediaType"));
            }
        }

        return (null, null);
    }

    private static int? Dimension(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n is > 0 and <= 100_000 ? n : null;

    private static (double? X, double? Y) FocalPoint(JsonElement item)
    {
        if (!item.TryGetProperty("focalPoint", out var fp) || fp.ValueKind != JsonValueKind.Array || fp.GetArrayLength() != 2
            || fp[0].ValueKind != JsonValueKind.Number || fp[1].ValueKind != JsonValueKind.Number)
        {
            return (null, null);
        }

        var x = fp[0].GetDouble();
        var y = fp[1].GetDouble();
        return x is >= -1 and <= 1 && y is >= -1 and <= 1 ? (x, y) : (null, null);
    }

    private static string? Limit(string? text, int max) => text is null ? null : text.Length > max ? text[..max] : text;
}
