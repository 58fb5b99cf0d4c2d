using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ServerlessFedi.Content;

namespace ServerlessFedi.Cards;

/// <summary>
/// Reads a preview card from a page's HTML (docs: entities/PreviewCard; the tags Mastodon's LinkDetailsExtractor reads,
/// without oEmbed and JSON-LD): OpenGraph (<c>og:title</c>, <c>og:description</c>, <c>og:image</c> with its
/// <c>:alt</c>, <c>og:site_name</c>, <c>og:locale</c>, <c>article:published_time</c>), Twitter cards
/// (<c>twitter:title</c>, <c>twitter:description</c>, <c>twitter:image</c>), then <c>&lt;title&gt;</c>,
/// <c>&lt;meta name="description"&gt;</c>, <c>&lt;meta name="author"&gt;</c>, <c>fediverse:creator</c> and <c>&lt;html lang&gt;</c>. Only the
/// head is parsed (everything before <c>&lt;/head</c>), after a count of its elements and depth
/// (<see cref="HtmlScanner"/>), so a hostile page costs at most a bounded parse. The charset is the header's, else the
/// page's own (BOM, <c>&lt;meta charset&gt;</c>), else UTF-8. Texts come out plain: markup is removed, whitespace
/// collapsed, lengths capped.
/// </summary>
public static class CardPageParser
{
    public const int MaxTitleChars = 300;

    public const int MaxDescriptionChars = 1000;

    private const int MaxNameChars = 200;

    private const int MaxNodes = 5000;

    private const int MaxDepth = 64;

    private static readonly HtmlParser Parser = new();

    /// <summary>The card of <paramref name="link"/> from the page at <paramref name="pageUrl"/>; null when the page names no title.</summary>
    public static LinkCard? Parse(string link, Uri pageUrl, byte[] html, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        ArgumentNullException.ThrowIfNull(html);
        var head = Head(html);
        if (!HtmlScanner.Measure(Encoding.Latin1.GetString(head), MaxNodes, MaxDepth, out _, out _))
        {
            return null;
        }

        using var document = HeaderEncoding(contentType) is { } encoding
            ? Parser.ParseDocument(encoding.GetString(head))
            : Parser.ParseDocument(new MemoryStream(head, writable: false));
        string? Meta(params string[] names) => names
            .Select(n => document.QuerySelectorAll("meta").FirstOrDefault(m => (Is(m, "property", n) || Is(m, "name", n)) && !string.IsNullOrWhiteSpace(m.GetAttribute("content")))?.GetAttribute("content"))
            .FirstOrDefault(v => v is not null);

        var title = Plain(Meta("og:title", "twitter:title") ?? document.QuerySelector("title")?.TextContent, MaxTitleChars);
        if (title.Length == 0)
        {
            return null;
        }

        var image = Absolute(pageUrl, Meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"));
        return new LinkCard
        {
            Url = link,
            Title = title,
            Description = Plain(Meta("og:description", "twitter:description", "description"), MaxDescriptionChars),
            ProviderName = Plain(Meta("og:site_name"), MaxNameChars),
            AuthorName = Plain(Meta("og:author", "author"), MaxNameChars),
            ImageSource = image?.AbsoluteUri,
            ImageDescription = image is null ? "" : Plain(Meta("og:image:alt", "twitter:image:alt"), MaxDescriptionChars),
            PublishedAt = DateTimeOffset.TryParse(Meta("article:published_time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var published) ? published.ToUniversalTime() : null,
            Language = Language(Meta("og:locale") ?? document.DocumentElement.GetAttribute("lang")),
            Creator = CardCreators.Handle(Meta("fediverse:creator")),
        };
    }

    /// <summary>The bytes before the first <c>&lt;/head</c> (ASCII, any case): all a card needs, and a bound on the parse.</summary>
    private static byte[] Head(byte[] html)
    {
        ReadOnlySpan<byte> end = "</head"u8;
        for (var i = 0; i + end.Length <= html.Length; i++)
        {
            if (html[i] == '<' && Ascii.EqualsIgnoreCase(html.AsSpan(i, end.Length), end))
            {
                return html[..i];
            }
        }

        return html;
    }

    private static Encoding? HeaderEncoding(string? contentType)
    {
        var charset = (contentType ?? "").Split(';').Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?[8..].Trim('"', ' ');
        if (string.IsNullOrEmpty(charset))
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset);
        }
    }

    private static bool Is(IElement meta, string attribute, string name) => string.Equals(meta.GetAttribute(attribute)?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private static Uri? Absolute(Uri page, string? value) =>
        value is { Length: > 0 and <= CardLinks.MaxUrlLength } && Uri.TryCreate(page, value.Trim(), out var url) && url.Scheme is "http" or "https" && string.IsNullOrEmpty(url.UserInfo) ? url : null;

    /// <summary>Text without markup (scripts and styles dropped with their content), whitespace collapsed, at most <paramref name="max"/> characters.</summary>
    internal static string Plain(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        text = text.Length > max * 4 ? text[..(max * 4)] : text;
        if (text.Contains('<', StringComparison.Ordinal))
        {
            using var fragment = Parser.ParseDocument("");
            fragment.Body!.InnerHtml = text;
            foreach (var dropped in fragment.Body.QuerySelectorAll("script, style, template, noscript").ToList())
            {
                dropped.Remove();
            }

            text = fragment.Body.TextContent;
        }

        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(c => !char.IsControl(c))])));
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }

    /// <summary>The primary language subtag of <c>de_DE</c>, <c>de-DE</c> or <c>de</c>: two or three letters, lower case.</summary>
    private static string? Language(string? tag)
    {
        var primary = (tag ?? "").Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary.Length is 2 or 3 && primary.All(char.IsAsciiLetterLower) ? primary : null;
    }
}
