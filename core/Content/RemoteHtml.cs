using System.Text;
using Ganss.Xss;

namespace ServerlessFedi.Content;

/// <summary>
/// Sanitises HTML from remote servers (post content, profile bios) before it is stored, so it can be shown in apps and
/// on our pages as is. The allow-list follows what Mastodon keeps: text structure, links and the microformat classes
/// of mentions and hashtags. Everything else (scripts, styles, event handlers, images, forms, foreign schemes) is dropped;
/// links get <c>rel="nofollow noopener noreferrer"</c>.
/// The cost is bounded before any parsing (<see cref="RemoteHtmlLimits"/>): the markup is cut to a length, and markup
/// with too many elements or too deep a nesting, or whose sanitised form would be too long, keeps only its text (in
/// paragraphs), so another server's long post still shows. Parsing and sanitising cost about one millisecond per
/// thousand elements, but elements the sanitiser removes cost in proportion to their depth as well (a megabyte of nested
/// <c>div</c> took a minute); docs/PERFORMANCE.md has the measurements.
/// </summary>
public static class RemoteHtml
{
    private static readonly HashSet<string> AllowedClasses = new(StringComparer.Ordinal)
    {
        "h-card", "u-url", "mention", "hashtag", "invisible", "ellipsis", "quote-inline", "p-name",
    };

    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>
    /// Sanitised HTML of at most <see cref="RemoteHtmlLimits.MaxOutputChars"/> characters; plain text (no tags) comes back
    /// escaped. Markup over the node or depth limit, or whose result would be too long, comes back as its text only
    /// (<see cref="TextOnly"/>).
    /// </summary>
    public static string Sanitize(string? html, RemoteHtmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var input = Cut(html, limits.MaxInputChars);
        if (HtmlScanner.Measure(input, limits.MaxNodes, limits.MaxDepth, out _, out _))
        {
            var sanitized = Sanitizer.Sanitize(input);
            if (sanitized.Length <= limits.MaxOutputChars)
            {
                return sanitized;
            }
        }

        return TextOnly(input, limits.MaxOutputChars);
    }

    /// <summary>
    /// The text of <paramref name="html"/> without any markup: one <c>p</c> per paragraph, line breaks as <c>br</c>,
    /// escaped; at most <paramref name="maxChars"/> characters, the last paragraph cut with an ellipsis when they run out.
    /// Linear in the input: no parser involved.
    /// </summary>
    public static string TextOnly(string html, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(html);
        var output = new StringBuilder();
        foreach (var paragraph in HtmlScanner.Paragraphs(html))
        {
            // "<p>" + "</p>" + "…" always fit the remaining room once at least 8 characters are left.
            var room = maxChars - output.Length - "<p></p>".Length;
            if (room < 8)
            {
                break;
            }

            output.Append("<p>");
            foreach (var c in paragraph)
            {
                var escaped = c switch
                {
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '&' => "&amp;",
                    '"' => "&quot;",
                    '\n' => "<br>",
                    _ => null,
                };
                var length = escaped?.Length ?? 1;
                if (room - length < 1)
                {
                    if (char.IsHighSurrogate(output[^1]))
                    {
                        output.Length--;
                    }

                    output.Append('…');
                    room = 0;
                    break;
                }

                if (escaped is null)
                {
                    output.Append(c);
                }
                else
                {
                    output.Append(escaped);
                }

                room -= length;
            }

            output.Append("</p>");
            if (room == 0)
            {
                break;
            }
        }

        return output.ToString();
    }

    /// <summary>The first <paramref name="maxChars"/> characters, never ending inside a surrogate pair.</summary>
    private static string Cut(string text, int maxChars) =>
        text.Length <= maxChars ? text : text[..(char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars)];

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
