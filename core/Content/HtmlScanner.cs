using System.Net;
using System.Text;

namespace ServerlessFedi.Content;

/// <summary>
/// One linear pass over raw markup, without building a document: how many elements and attributes it holds and how deep
/// its elements nest (<see cref="Measure"/>), or only its text (<see cref="Paragraphs"/>). Tags are read as the HTML
/// tokenizer reads them (quoted attribute values may hold <c>&gt;</c>; comments end at <c>--&gt;</c>). The depth follows
/// the tree builder's main rules: void elements never nest; an end tag closes the elements above its match unless an element
/// of the special category stands in between (then the parser ignores it, HTML §13.2.6.4.7 "any other end tag"); a new
/// <c>p</c>, <c>li</c>, <c>dt</c>, <c>dd</c>, <c>tr</c>, <c>td</c>, <c>th</c>, <c>option</c> closes one of its kind on top;
/// formatting elements closed by another element's end tag still count, because the parser recreates them before the next
/// text ("reconstruct the active formatting elements"). Anything else it may miss only makes the estimate larger.
/// </summary>
internal static class HtmlScanner
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> FormattingElements = new(StringComparer.Ordinal)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    /// <summary>The special category of HTML §13.2.4.2, which stops a stray end tag from closing what lies below it.</summary>
    private static readonly HashSet<string> SpecialElements = new(StringComparer.Ordinal)
    {
        "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br", "button", "caption",
        "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer",
        "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img",
        "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript",
        "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select", "source", "style", "summary",
        "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignObject", "desc",
    };

    private static readonly HashSet<string> SelfClosingSiblings = new(StringComparer.Ordinal) { "p", "li", "dt", "dd", "tr", "td", "th", "option" };

    /// <summary>Elements whose content the text view leaves out (raw text that is not shown).</summary>
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal) { "script", "style", "template", "title", "textarea", "xmp", "iframe", "noembed", "noframes" };

    /// <summary>Elements that end a paragraph in the text view.</summary>
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
        "section", "article", "header", "footer", "aside", "nav", "main", "figure", "figcaption", "hr", "address", "details", "summary",
    };

    /// <summary>
    /// Elements plus attributes (<paramref name="nodes"/>) and the deepest nesting (<paramref name="depth"/>) of
    /// <paramref name="html"/>; false as soon as either passes its limit (the counts then stop there).
    /// </summary>
    public static bool Measure(string html, int maxNodes, int maxDepth, out int nodes, out int depth)
    {
        ArgumentNullException.ThrowIfNull(html);
        nodes = 0;
        depth = 0;
        var stack = new List<string>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var orphans = new Dictionary<string, int>(StringComparer.Ordinal);
        var orphanCount = 0;
        var i = 0;
        while (i < html.Length)
        {
            var (kind, name, attributes) = Read(html, ref i);
            if (kind is TokenKind.Text or TokenKind.Markup)
            {
                continue;
            }

            var isEnd = kind == TokenKind.EndTag;
            nodes += (isEnd ? 0 : 1) + attributes;
            if (isEnd)
            {
                if (open.GetValueOrDefault(name) > 0 && ClosableDown(stack, name))
                {
                    while (stack.Count > 0)
                    {
                        var top = Pop(stack, open);
                        if (top == name)
                        {
                            break;
                        }

                        if (FormattingElements.Contains(top))
                        {
                            orphans[top] = orphans.GetValueOrDefault(top) + 1;
                            orphanCount++;
                        }
                    }
                }
                else if (orphans.GetValueOrDefault(name) > 0)
                {
                    orphans[name]--;
                    orphanCount--;
                }
            }
            else if (!VoidElements.Contains(name))
            {
                if (stack.Count > 0 && SelfClosingSiblings.Contains(name) && Siblings(stack[^1], name))
                {
                    Pop(stack, open);
                }

                stack.Add(name);
                open[name] = open.GetValueOrDefault(name) + 1;
            }

            depth = Math.Max(depth, stack.Count + orphanCount);
            if (nodes > maxNodes || depth > maxDepth)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text of <paramref name="html"/> as paragraphs (block elements separate them, <c>br</c> becomes a line break),
    /// character references decoded, white space collapsed; the content of scripts, styles and the like left out.
    /// </summary>
    public static IEnumerable<string> Paragraphs(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var paragraph = new StringBuilder();
        var i = 0;
        while (i < html.Length)
        {
            var start = i;
            var (kind, name, _) = Read(html, ref i);
            if (kind == TokenKind.Text)
            {
                AppendText(paragraph, html.AsSpan(start, i - start));
                continue;
            }

            if (kind == TokenKind.Markup)
            {
                continue;
            }

            if (kind == TokenKind.StartTag && Hidden.Contains(name))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : close;
            }
            else if (name == "br")
            {
                TrimEnd(paragraph);
                paragraph.Append('\n');
            }
            else if (Blocks.Contains(name) && paragraph.Length > 0)
            {
                TrimEnd(paragraph);
                if (paragraph.ToString().Trim().Length > 0)
                {
                    yield return paragraph.ToString().Trim();
                }

                paragraph.Clear();
            }
        }

        if (paragraph.ToString().Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }

    private enum TokenKind
    {
        Text,
        Markup,
        StartTag,
        EndTag,
    }

    /// <summary>
    /// The token at <paramref name="i"/>, moving <paramref name="i"/> past it: text up to the next <c>&lt;</c> that may
    /// start markup; a comment, doctype or processing instruction (markup, skipped); or a tag with its lower-cased name and
    /// its number of attributes.
    /// </summary>
    private static (TokenKind Kind, string Name, int Attributes) Read(string html, ref int i)
    {
        if (html[i] != '<')
        {
            var next = html.IndexOf('<', i + 1);
            i = next < 0 ? html.Length : next;
            return (TokenKind.Text, "", 0);
        }

        var n = html.Length;
        if (i + 1 >= n)
        {
            i = n;
            return (TokenKind.Text, "", 0);
        }

        var c = html[i + 1];
        if (c == '!' || c == '?' || (c == '/' && i + 2 < n && !char.IsAsciiLetter(html[i + 2])))
        {
            i = html.AsSpan(i).StartsWith("<!--") ? IndexAfter(html, "-->", i + 4) : IndexAfter(html, ">", i + 2);
            return (TokenKind.Markup, "", 0);
        }

        var isEnd = c == '/';
        var nameStart = i + (isEnd ? 2 : 1);
        if (nameStart >= n || !char.IsAsciiLetter(html[nameStart]))
        {
            var next = html.IndexOf('<', i + 1);
            i = next < 0 ? n : next;
            return (TokenKind.Text, "", 0);
        }

        var p = nameStart;
        while (p < n && !IsSpace(html[p]) && html[p] is not ('/' or '>'))
        {
            p++;
        }

        var name = html[nameStart..p].ToLowerInvariant();
        var attributes = 0;
        while (p < n)
        {
            while (p < n && (IsSpace(html[p]) || html[p] == '/'))
            {
                p++;
            }

            if (p >= n)
            {
                break;
            }

            if (html[p] == '>')
            {
                p++;
                break;
            }

            attributes++;
            p++; // the first character of a name may be anything, even '='
            while (p < n && !IsSpace(html[p]) && html[p] is not ('/' or '>' or '='))
            {
                p++;
            }

            while (p < n && IsSpace(html[p]))
            {
                p++;
            }

            if (p < n && html[p] == '=')
            {
                p++;
                while (p < n && IsSpace(html[p]))
                {
                    p++;
                }

                if (p < n && html[p] is '"' or '\'')
                {
                    p = IndexAfter(html, html[p].ToString(), p + 1);
                }
                else
                {
                    while (p < n && !IsSpace(html[p]) && html[p] != '>')
                    {
                        p++;
                    }
                }
            }
        }

        i = p;
        return (isEnd ? TokenKind.EndTag : TokenKind.StartTag, name, attributes);
    }

    /// <summary>
    /// Whether an end tag for <paramref name="name"/> closes its element: none of the special category stands above it
    /// (otherwise the parser ignores it, or for a formatting element keeps the elements above open: the adoption agency).
    /// </summary>
    private static bool ClosableDown(List<string> stack, string name)
    {
        for (var k = stack.Count - 1; k >= 0; k--)
        {
            if (stack[k] == name)
            {
                return true;
            }

            if (SpecialElements.Contains(stack[k]))
            {
                return false;
            }
        }

        return false;
    }

    private static bool Siblings(string top, string name) =>
        top == name || (top is "td" or "th" && name is "td" or "th") || (top is "dt" or "dd" && name is "dt" or "dd");

    private static string Pop(List<string> stack, Dictionary<string, int> open)
    {
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        open[top]--;
        return top;
    }

    private static int IndexAfter(string html, string value, int from)
    {
        var at = from >= html.Length ? -1 : html.IndexOf(value, from, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + value.Length;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    private static void AppendText(StringBuilder paragraph, ReadOnlySpan<char> raw)
    {
        foreach (var c in WebUtility.HtmlDecode(raw.ToString()))
        {
            if (char.IsWhiteSpace(c) && c != '\u00A0')
            {
                if (paragraph.Length > 0 && paragraph[^1] is not (' ' or '\n'))
                {
                    paragraph.Append(' ');
                }
            }
            else
            {
                paragraph.Append(c);
            }
        }
    }

    private static void TrimEnd(StringBuilder paragraph)
    {
        while (paragraph.Length > 0 && paragraph[^1] == ' ')
        {
            paragraph.Length--;
        }
    }
}
