namespace ServerlessFedi.Web;

/// <summary>A status as a page shows it (h-entry): its author (h-card), content, time and links.</summary>
public sealed record PostView
{
    public required string Id { get; init; }

    /// <summary>The status's page.</summary>
    public required string Url { get; init; }

    /// <summary>The ActivityPub id.</summary>
    public required string Uri { get; init; }

    public required string AuthorName { get; init; }

    public required string AuthorHandle { get; init; }

    public required string AuthorProfileUrl { get; init; }

    public required string AuthorAvatarUrl { get; init; }

    /// <summary>HTML from our own formatter (escaped text, links, paragraphs); the only markup pages emit unescaped.</summary>
    public required string ContentHtml { get; init; }

    public string SpoilerText { get; init; } = "";

    /// <summary>The status's own language (ISO 639-1), the <c>lang</c> of its text; null when unknown.</summary>
    public string? Language { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Attachments: images (the preview, linking to the original), video and audio; the description as their text.</summary>
    public IReadOnlyList<PostMedia> Media { get; init; } = [];

    /// <summary>The status's poll with its results; null without one.</summary>
    public PostPoll? Poll { get; init; }

    /// <summary>The preview card of its first link; null without one.</summary>
    public PostCard? Card { get; init; }
    /// <summary>The status it quotes, when the quote is accepted (its id, which browsers are sent on to its page from).</summary>
    public string? QuoteUrl { get; init; }

    /// <summary>The quoted status embedded, when <see cref="PostQuotes"/> shows it; else only <see cref="QuoteUrl"/> is linked.</summary>
    public PostQuote? Quote { get; init; }

    /// <summary>Page of the status this one replies to, when that is one of ours.</summary>
    public string? InReplyToUrl { get; init; }

    public string IsoTime => CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An attachment of a post as pages and feeds show it: an image (the preview, linking to the original), or a video or
/// audio clip (<see cref="Type"/>) with its poster and <see cref="Duration"/> in seconds.
/// </summary>
public sealed record PostMedia(string Url, string PreviewUrl, string Alt, int Width, int Height, string ContentType, string Type = "image", double? Duration = null)
{
    /// <summary>The duration as people read it: <c>0:07</c>, <c>12:34</c>, <c>1:02:03</c>.</summary>
    public string? Length => Duration is { } d ? FormatLength(d) : null;

    /// <summary>A local attachment: a clip shows its own frame size (audio its poster's), an image its preview's.</summary>
    public static PostMedia Of(Media.MediaAttachment m, Configuration.InstanceUrls urls)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(urls);
        return m.Type is "video" or "audio"
            ? new PostMedia(urls.Media(m.OriginalBlob), urls.Media(m.SmallBlob), m.Description ?? "", m.Type == "video" ? m.OriginalWidth : m.SmallWidth, m.Type == "video" ? m.OriginalHeight : m.SmallHeight, m.OriginalContentType, m.Type, m.Duration)
            : new PostMedia(urls.Media(m.OriginalBlob), urls.Media(m.SmallBlob), m.Description ?? "", m.SmallWidth, m.SmallHeight, m.OriginalContentType);
    }

    private static string FormatLength(double seconds)
    {
        var total = (long)Math.Round(Math.Max(0, seconds));
        var (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60);
        return hours > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{rest:00}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{minutes}:{rest:00}");
    }
}
