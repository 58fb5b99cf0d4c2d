using System.Net;

namespace ServerlessFedi.Content;

/// <summary>
/// Plain text as the escaped HTML a bio or the instance description is shown in (Mastodon renders a plain-text bio the
/// same way); <c>Web/PlainText.FromNoteHtml</c> reads it back.
/// </summary>
public static class NoteHtml
{
    /// <summary>Escaped text in paragraphs (split at blank lines) with a line break for each single one.</summary>
    public static string FromPlainText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = text.ReplaceLineEndings("\n").Trim().Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Concat(paragraphs.Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(WebUtility.HtmlEncode)) + "</p>"));
    }
}
