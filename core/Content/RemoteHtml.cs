using Ganss.Xss;

namespace ServerlessFedi.Content;

/// <summary>
/// Sanitises HTML from remote servers (post content, profile bios) before it is stored, so it can be shown in apps and
/// on our pages as is. The allow-list follows what Mastodon keeps: text structure, links and the microformat classes
/// of mentions and hashtags. Everything else (scripts, styles, event handlers, images, forms, foreign schemes) is dropped;
/// links get <c>rel="nofollow noopener noreferrer"</c>.
/// </summary>
public static class RemoteHtml
{
    private static readonly HashSet<string> AllowedClasses = new(StringComparer.Ordinal)
    {
        "h-card", "u-url", "mention", "hashtag", "invisible", "ellipsis", "quote-inline", "p-name",
    };

    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>Sanitised HTML; plain text (no tags) comes back escaped.</summary>
    public static string Sanitize(string? html) => string.IsNullOrEmpty(html) ? "" : Sanitizer.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "span", "a", "del", "s", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote",
                "h1", "h2", "h3", "h4", "h5", "h6", "sub", "sup",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "rel", "class", "translate", "start", "reversed", "value" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not AngleSharp.Dom.IElement element)
            {
                return;
            }

            if (element.GetAttribute("class") is { } classes)
            {
                var kept = classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(AllowedClasses.Contains).ToArray();
                if (kept.Length == 0)
                {
                    element.RemoveAttribute("class");
                }
                else
                {
                    element.SetAttribute("class", string.Join(' ', kept));
                }
            }

            if (element.LocalName == "a")
            {
                element.SetAttribute("rel", "nofollow noopener noreferrer");
                element.SetAttribute("target", "_blank");
            }
        };
        return sanitizer;
    }
}
