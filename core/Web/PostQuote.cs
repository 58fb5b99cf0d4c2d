namespace ServerlessFedi.Web;

/// <summary>
/// The post a post quotes, as pages embed it (an h-cite): its author's name, handle and profile link, its text (HTML
/// from our formatter, or a remote post's sanitised HTML), its content warning and language, and its page. Nothing of
/// it is loaded from another server: no avatar, no attachments.
/// </summary>
public sealed record PostQuote
{
    /// <summary>The quoted post's page: ours, or the remote one it came with.</summary>
    public required string Url { get; init; }

    public required string AuthorName { get; init; }

    public required string AuthorHandle { get; init; }

    public required string AuthorProfileUrl { get; init; }

    /// <summary>Sanitised HTML, the only markup of the quote emitted unescaped.</summary>
    public required string ContentHtml { get; init; }

    public string SpoilerText { get; init; } = "";

    public string? Language { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string IsoTime => CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
