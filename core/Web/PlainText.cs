using System.Net;
using System.Text.RegularExpressions;

namespace ServerlessFedi.Web;

/// <summary>
/// Turns operator text and stored bios into <see cref="TextBlock"/>s that the templates render escaped, so neither can
/// become markup. Operator text: blank lines separate paragraphs, a paragraph starting with <c># </c> is a heading.
/// </summary>
public static partial class PlainText
{
    public static IReadOnlyList<TextBlock> Blocks(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var blocks = new List<TextBlock>();
        foreach (var paragraph in Paragraphs().Split(text.ReplaceLineEndings("\n").Trim()))
        {
            var lines = paragraph.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                continue;
            }

            if (lines.Length == 1 && lines[0].StartsWith("# ", StringComparison.Ordinal))
            {
                blocks.Add(new TextBlock(true, [lines[0][2..].Trim()]));
            }
            else
            {
                blocks.Add(new TextBlock(false, lines));
            }
        }

        return blocks;
    }

    /// <summary>
    /// A bio stored as HTML (escaped text in <c>&lt;p&gt;</c> with <c>&lt;br&gt;</c>, see <see cref="Content.NoteHtml"/>) back to
    /// text blocks: paragraph and line breaks are kept, any other tag is dropped, entities are decoded. The page escapes it again.
    /// </summary>
    public static IReadOnlyList<TextBlock> FromNoteHtml(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return [];
        }

        var blocks = new List<TextBlock>();
        foreach (var paragraph in ParagraphEnd().Split(html))
        {
            var lines = LineBreak().Split(paragraph)
                .Select(line => WebUtility.HtmlDecode(AnyTag().Replace(line, "")).Trim())
                .Where(line => line.Length > 0)
                .ToList();
            if (lines.Count > 0)
            {
                blocks.Add(new TextBlock(false, lines));
            }
        }

        return blocks;
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"</p\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphEnd();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>?")]
    private static partial Regex AnyTag();
}
