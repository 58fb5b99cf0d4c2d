using System.Globalization;
using System.Text;

namespace ServerlessFedi.Content;

/// <summary>
/// Finds URLs, mentions and hashtags in status text in one left-to-right pass, following the grammar Mastodon's
/// <c>Extractor</c> gets from twitter-text (as patched in Mastodon's <c>config/initializers/twitter_regex.rb</c>),
/// <c>Account::MENTION_RE</c> and <c>Tag::HASHTAG_RE</c>. The earliest entity wins and entities never overlap
/// (twitter-text's <c>remove_overlapping_entities</c>). No regular expressions: every failed attempt stops at a character
/// that cannot start another attempt of the same kind, so hostile input costs linear time.
/// </summary>
internal static class TextEntityScanner
{
    public static List<TextEntity> Scan(string text)
    {
        var entities = new List<TextEntity>();
        var i = 0;
        while (i < text.Length)
        {
            var entity = text[i] switch
            {
                'h' or 'H' => MatchUrl(text, i),
                '@' => MatchMention(text, i),
                '#' => MatchHashtag(text, i),
                _ => null,
            };
            if (entity is { } found)
            {
                entities.Add(found);
                i = found.End;
            }
            else
            {
                i++;
            }
        }

        return entities;
    }

    // --- URLs: http and https only (Mastodon also links xmpp: and magnet:, which we leave as text). ---

    private static TextEntity? MatchUrl(string text, int start)
    {
        int position;
        if (text.AsSpan(start).StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            position = start + 8;
        }
        else if (text.AsSpan(start).StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            position = start + 7;
        }
        else
        {
            return null;
        }

        // twitter-text valid_url_preceding_chars: not glued to an ASCII letter or digit, nor to @ $ #.
        if (RuneBefore(text, start) is { } before && !CanPrecedeUrl(before))
        {
            return null;
        }

        position = MatchHost(text, position);
        if (position < 0)
        {
            return null;
        }

        // twitter-text's valid_domain lookahead: a host followed by @ is user info, not a link.
        if (position < text.Length && text[position] is '@' or '＠')
        {
            return null;
        }

        if (position + 1 < text.Length && text[position] == ':' && char.IsAsciiDigit(text[position + 1]))
        {
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
        }

        if (position < text.Length && text[position] == '/')
        {
            position = MatchPath(text, position + 1);
        }

        if (position < text.Length && text[position] == '?')
        {
            position = MatchQuery(text, position);
        }

        return new TextEntity(TextEntityKind.Url, start, position);
    }

    /// <summary>
    /// Dot-separated labels of letters, digits, '-' and '_' (not at a label's ends); at least two labels, the last a
    /// top-level domain of letters (or punycode). twitter-text checks the TLD against a list; we check its shape.
    /// Returns the end of the longest such host, or -1.
    /// </summary>
    private static int MatchHost(string text, int position)
    {
        var hostEnd = -1;
        var labels = 0;
        var p = position;
        while (true)
        {
            var labelStart = p;
            var labelEnd = p;
            while (p < text.Length)
            {
                var rune = RuneAt(text, p, out var length);
                if (IsLabelRune(rune))
                {
                    p += length;
                    labelEnd = p;
                }
                else if (rune.Value is '-' or '_' && labelEnd > labelStart)
                {
                    p += length;
                }
                else
                {
                    break;
                }
            }

            if (labelEnd == labelStart)
            {
                return hostEnd;
            }

            labels++;
            if (labels >= 2 && IsTopLevelDomain(text.AsSpan(labelStart, labelEnd - labelStart)))
            {
                hostEnd = labelEnd;
            }

            // Another label follows only after a dot directly behind this one (trailing '-' or '_' end the host).
            if (p != labelEnd || p + 1 >= text.Length || text[p] != '.' || !IsLabelRune(RuneAt(text, p + 1, out _)))
            {
                return hostEnd;
            }

            p++;
        }
    }

    private static bool IsTopLevelDomain(ReadOnlySpan<char> label)
    {
        if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }

            return label.Length > 4;
        }

        var count = 0;
        foreach (var rune in label.EnumerateRunes())
        {
            if (!IsAlphaRune(rune))
            {
                return false;
            }

            count++;
        }

        return count >= 2;
    }

    /// <summary>
    /// Path after the first '/': twitter_regex.rb's valid_url_path — any character but white space, &lt; &gt; ( ) ?,
    /// with balanced parentheses (one level of nesting), ending on a character that is not trailing punctuation.
    /// </summary>
    private static int MatchPath(string text, int p)
    {
        var end = p;
        while (p < text.Length)
        {
            if (text[p] == '(')
            {
                var afterGroup = MatchBalancedParentheses(text, p);
                if (afterGroup < 0)
                {
                    break;
                }

                p = afterGroup;
                end = p;
                continue;
            }

            var rune = RuneAt(text, p, out var length);
            if (!IsPathRune(rune))
            {
                break;
            }

            p += length;
            if (IsPathEndingRune(rune))
            {
                end = p;
            }
        }

        return end;
    }

    private static int MatchBalancedParentheses(string text, int open)
    {
        var p = open + 1;
        var inner = SkipPathRunes(text, ref p);
        if (p < text.Length && text[p] == ')')
        {
            return inner > 0 ? p + 1 : -1;
        }

        if (p >= text.Length || text[p] != '(')
        {
            return -1;
        }

        p++;
        if (SkipPathRunes(text, ref p) == 0 || p >= text.Length || text[p] != ')')
        {
            return -1;
        }

        p++;
        SkipPathRunes(text, ref p);
        return p < text.Length && text[p] == ')' ? p + 1 : -1;
    }

    private static int SkipPathRunes(string text, ref int p)
    {
        var count = 0;
        while (p < text.Length)
        {
            var rune = RuneAt(text, p, out var length);
            if (!IsPathRune(rune))
            {
                break;
            }

            p += length;
            count++;
        }

        return count;
    }

    /// <summary>Query from '?': twitter_regex.rb's valid_url_query_chars, ending on a valid_url_query_ending_chars character.</summary>
    private static int MatchQuery(string text, int questionMark)
    {
        var end = questionMark;
        var p = questionMark + 1;
        while (p < text.Length)
        {
            var rune = RuneAt(text, p, out var length);
            if (!IsQueryRune(rune))
            {
                break;
            }

            p += length;
            if (IsQueryEndingRune(rune))
            {
                end = p;
            }
        }

        return end;
    }

    // --- Mentions: Account::MENTION_RE and Extractor.extract_mentions_or_lists_with_indices. ---

    private static TextEntity? MatchMention(string text, int start)
    {
        if (RuneBefore(text, start) is { } before && (before.Value is '=' or '/' || IsWordRune(before)))
        {
            return null;
        }

        // USERNAME_RE: [a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?, case-insensitive.
        var p = start + 1;
        if (p >= text.Length || !IsUsernameChar(text[p]))
        {
            return null;
        }

        var end = p;
        while (p < text.Length && (IsUsernameChar(text[p]) || text[p] is '.' or '-'))
        {
            p++;
            if (IsUsernameChar(text[p - 1]))
            {
                end = p;
            }
        }

        var username = text[(start + 1)..end];
        string? domain = null;

        // Domain: @[[:word:].-]+[[:word:]]+ (at least two characters, ending on a word character).
        if (end < text.Length && text[end] == '@')
        {
            var q = end + 1;
            var runes = 0;
            var domainEnd = -1;
            var domainRunes = 0;
            while (q < text.Length)
            {
                var rune = RuneAt(text, q, out var length);
                if (IsWordRune(rune))
                {
                    q += length;
                    runes++;
                    domainEnd = q;
                    domainRunes = runes;
                }
                else if (rune.Value is '.' or '-')
                {
                    q += length;
                    runes++;
                }
                else
                {
                    break;
                }
            }

            if (domainEnd > 0 && domainRunes >= 2)
            {
                domain = text[(end + 1)..domainEnd];
                end = domainEnd;
            }
        }

        // twitter-text end_mention_match: not followed by another @, a Latin accented letter or "://".
        if (end < text.Length)
        {
            var next = RuneAt(text, end, out _);
            if (next.Value is '@' or '＠' || IsLatinAccent(next) || text.AsSpan(end).StartsWith("://", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return new TextEntity(TextEntityKind.Mention, start, end, username, domain);
    }

    // --- Hashtags: Tag::HASHTAG_RE and Extractor.extract_hashtags_with_indices. ---

    private static TextEntity? MatchHashtag(string text, int start)
    {
        // (?:^|[^/)\w]) with Ruby's ASCII \w: "foo#bar" and "a/#b" are not tags, "日本#タグ" is.
        if (start > 0 && (text[start - 1] is '/' or ')' or '_' || char.IsAsciiLetterOrDigit(text[start - 1])))
        {
            return null;
        }

        var p = start + 1;
        var nameEnd = -1;
        while (p < text.Length)
        {
            var rune = RuneAt(text, p, out var length);
            if (IsWordRune(rune))
            {
                p += length;
                nameEnd = p;
            }
            else if (nameEnd > 0 && IsTagSeparator(rune))
            {
                p += length;
            }
            else
            {
                break;
            }
        }

        if (nameEnd < 0)
        {
            return null;
        }

        // A tag glued to a URL ("#日本https://…") gives up its "http(s)" so the URL can be found.
        if (text.AsSpan(nameEnd).StartsWith("://", StringComparison.Ordinal))
        {
            var name = text.AsSpan(start + 1, nameEnd - start - 1);
            if (name.Length > 5 && name.EndsWith("https", StringComparison.Ordinal))
            {
                nameEnd -= 5;
            }
            else if (name.Length > 4 && name.EndsWith("http", StringComparison.Ordinal))
            {
                nameEnd -= 4;
            }
        }

        return IsHashtagName(text.AsSpan(start + 1, nameEnd - start - 1))
            ? new TextEntity(TextEntityKind.Hashtag, start, nameEnd)
            : null;
    }

    /// <summary>
    /// HASHTAG_NAME_PAT: either a separator or letter somewhere inside (HASHTAG_FIRST_SEQUENCE), or word characters with
    /// at least one letter (HASHTAG_LAST_SEQUENCE). So "#2026" is not a tag, "#2026_wahl" and "#tag" are.
    /// </summary>
    private static bool IsHashtagName(ReadOnlySpan<char> name)
    {
        var runes = new List<Rune>();
        foreach (var rune in name.EnumerateRunes())
        {
            runes.Add(rune);
        }

        for (var k = 1; k < runes.Count - 1; k++)
        {
            if (IsAlphaRune(runes[k]) || IsTagSeparator(runes[k]) || runes[k].Value == '_')
            {
                return true;
            }
        }

        return !runes.Exists(IsTagSeparator) && runes.Exists(IsAlphaRune);
    }

    // --- Character classes. ---

    private static Rune RuneAt(string text, int index, out int length)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out length);
        return rune;
    }

    private static Rune? RuneBefore(string text, int index)
    {
        if (index == 0)
        {
            return null;
        }

        Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out var rune, out _);
        return rune;
    }

    private static bool CanPrecedeUrl(Rune rune) =>
        !(rune.IsAscii && char.IsAsciiLetterOrDigit((char)rune.Value))
        && rune.Value is not ('@' or '＠' or '$' or '#' or '＃' or 0xFFFE or 0xFEFF or 0xFFFF);

    private static bool IsUsernameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Ruby's [[:word:]]: letters, marks, decimal digits, letter numbers, connector punctuation.</summary>
    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
            or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    /// <summary>Ruby's [[:alpha:]] (Unicode Alphabetic), approximated by letters, letter numbers and combining marks.</summary>
    private static bool IsAlphaRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
        _ => false,
    };

    /// <summary>Tag::HASHTAG_SEPARATORS besides '_': middle dot, katakana middle dot, zero-width non-joiner (inside a tag only).</summary>
    private static bool IsTagSeparator(Rune rune) => rune.Value is 0x00B7 or 0x30FB or 0x200C;

    private static bool IsLabelRune(Rune rune) => Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// twitter_regex.rb's valid_general_url_path_chars ([^\p{White_Space}&lt;&gt;()?]), minus control characters,
    /// bidirectional formatting characters and undecodable UTF-16, which we never put into an href.
    /// </summary>
    private static bool IsPathRune(Rune rune) =>
        !Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune) && !IsUnsafeInvisible(rune)
        && rune.Value is not ('<' or '>' or '(' or ')' or '?');

    /// <summary>valid_url_path_ending_chars: no trailing punctuation such as . , ; : ! ' " or quotes.</summary>
    private static bool IsPathEndingRune(Rune rune) =>
        rune.Value is not ('!' or '*' or '"' or '\'' or '「' or '」' or ';' or ':' or '=' or ',' or '.' or '$' or '%'
            or '[' or ']' or '~' or '&' or '|' or '@');

    private static bool IsQueryRune(Rune rune) => rune.IsAscii
        ? char.IsAsciiLetterOrDigit((char)rune.Value) || "!?*'();:&=+$/%#[]-_.,~|@^".Contains((char)rune.Value, StringComparison.Ordinal)
        : IsUrlUnicodeRune(rune);

    private static bool IsQueryEndingRune(Rune rune) => rune.IsAscii
        ? char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '_' or '&' or '=' or '#' or '/' or '-'
        : IsUrlUnicodeRune(rune);

    /// <summary>twitter_regex.rb's UCHARS (U+00A0 and up, without non-characters), minus white space and invisible controls.</summary>
    private static bool IsUrlUnicodeRune(Rune rune)
    {
        var v = rune.Value;
        return v >= 0xA0
            && !(v is >= 0xFDD0 and <= 0xFDEF || v is >= 0xFFF0 and <= 0xFFFF || (v & 0xFFFE) == 0xFFFE || v is >= 0xE0000 and < 0xE1000)
            && !Rune.IsWhiteSpace(rune) && !IsUnsafeInvisible(rune);
    }

    /// <summary>Bidirectional controls (which could reorder how a link reads), the BOM, and U+FFFD from broken UTF-16.</summary>
    private static bool IsUnsafeInvisible(Rune rune) =>
        rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0xFEFF or 0xFFFD;

    /// <summary>twitter-text's latin_accents.</summary>
    private static bool IsLatinAccent(Rune rune) => rune.Value is (>= 0x00C0 and <= 0x00D6) or (>= 0x00D8 and <= 0x00F6)
        or (>= 0x00F8 and <= 0x024F) or 0x0253 or 0x0254 or 0x0256 or 0x0257 or 0x0259 or 0x025B or 0x0263 or 0x0268
        or 0x026F or 0x0272 or 0x0289 or 0x028B or 0x02BB or (>= 0x0300 and <= 0x036F) or (>= 0x1E00 and <= 0x1EFF);
}
