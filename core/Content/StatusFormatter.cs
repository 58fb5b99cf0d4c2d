using System.Globalization;
using System.Text;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Content;

/// <summary>
/// Turns the plain text of a local status into the HTML Mastodon would produce for it (Mastodon <c>TextFormatter</c>):
/// everything HTML-escaped, paragraphs and line breaks, links for URLs, hashtags and resolved mentions, and nothing else.
/// </summary>
public sealed class StatusFormatter(InstanceUrls urls)
{
    /// <summary>What every URL counts as against the character limit (<c>characters_reserved_per_url</c> of the instance entity).</summary>
    public const int CharactersReservedPerUrl = 23;

    private const int VisibleUrlLength = 30;

    /// <summary>Characters Ruby's <c>String#strip</c> removes; Mastodon strips the text before validating and formatting it.</summary>
    private static readonly char[] StripCharacters = ['\0', '\t', '\n', '\v', '\f', '\r', ' '];

    /// <param name="text">The status source as the client sent it.</param>
    /// <param name="resolveMention">
    /// Called once per distinct mention with the username as written and the domain as written, or null for a local
    /// account (no domain, or the instance's account or web domain); returns the account, or null to leave the text plain.
    /// </param>
    public FormattedStatus Format(string text, Func<string, string?, MentionTarget?> resolveMention)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(resolveMention);

        text = text.Trim(StripCharacters);
        if (IsBlank(text))
        {
            return new FormattedStatus("", [], []);
        }

        // Rails simple_format: CR LF and lone CR become LF before paragraphs are split.
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var entities = TextEntityScanner.Scan(text);

        var resolved = new Dictionary<(string, string?), MentionTarget?>();
        var mentions = new List<MentionTarget>();
        var mentionedActors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in entities.Where(e => e.Kind == TextEntityKind.Mention))
        {
            var key = MentionKey(entity);
            if (!resolved.ContainsKey(key))
            {
                var target = resolveMention(entity.Username!, key.Domain is null ? null : entity.Domain);
                resolved[key] = target;
                if (target is not null && mentionedActors.Add(target.ActorId))
                {
                    mentions.Add(target);
                }
            }
        }

        // Mastodon's same_username_hits: a username mentioned on more than one server is shown with its domain.
        var sharedUsernames = mentions
            .GroupBy(m => m.Username, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(m => m.Domain?.ToLowerInvariant()).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var tags = new List<string>();
        var seenTags = new HashSet<string>(StringComparer.Ordinal);
        var html = new StringBuilder(text.Length * 2);
        var last = 0;
        foreach (var entity in entities)
        {
            AppendEscaped(html, text.AsSpan(last, entity.Start - last));
            var value = text.AsSpan(entity.Start, entity.End - entity.Start);
            switch (entity.Kind)
            {
                case TextEntityKind.Url:
                    AppendUrlLink(html, value);
                    break;
                case TextEntityKind.Hashtag:
                    var name = value[1..].ToString();
                    AppendHashtagLink(html, name);
                    var normalized = name.ToLowerInvariant();
                    if (seenTags.Add(normalized))
                    {
                        tags.Add(normalized);
                    }

                    break;
                case TextEntityKind.Mention:
                    if (resolved[MentionKey(entity)] is { } target)
                    {
                        AppendMentionLink(html, target, sharedUsernames.Contains(target.Username));
                    }
                    else
                    {
                        AppendEscaped(html, value);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unknown text entity {entity.Kind}.");
            }

            last = entity.End;
        }

        AppendEscaped(html, text.AsSpan(last));
        return new FormattedStatus(Paragraphs(html.ToString()), mentions, tags);
    }

    /// <summary>
    /// Length of a status against the instance's character limit, as Mastodon's <c>StatusLengthValidator</c> measures it:
    /// the stripped text in grapheme clusters, each URL counting <see cref="CharactersReservedPerUrl"/>, each mention only
    /// its <c>@username</c> (the domain is free), whether or not the account exists.
    /// </summary>
    public static int CountCharacters(string text) => CountCharacters(text, null);

    /// <summary>The length Mastodon checks against the limit: the content warning plus the countable text.</summary>
    public static int CountCharacters(string text, string? spoilerText)
    {
        ArgumentNullException.ThrowIfNull(text);
        var countable = new StringBuilder((spoilerText ?? "").Trim(StripCharacters));
        text = text.Trim(StripCharacters);
        if (!IsBlank(text))
        {
            var last = 0;
            foreach (var entity in TextEntityScanner.Scan(text))
            {
                countable.Append(text, last, entity.Start - last);
                switch (entity.Kind)
                {
                    case TextEntityKind.Url:
                        countable.Append('x', CharactersReservedPerUrl);
                        break;
                    case TextEntityKind.Mention:
                        countable.Append('@').Append(entity.Username);
                        break;
                    default:
                        countable.Append(text, entity.Start, entity.End - entity.Start);
                        break;
                }

                last = entity.End;
            }

            countable.Append(text, last, text.Length - last);
        }

        return new StringInfo(countable.ToString()).LengthInTextElements;
    }

    /// <summary>Mentions of the same account (case-insensitive, local domain written or not) are resolved once.</summary>
    private (string Username, string? Domain) MentionKey(TextEntity mention) =>
        (mention.Username!.ToLowerInvariant(), IsLocalDomain(mention.Domain) ? null : mention.Domain!.ToLowerInvariant());

    private bool IsLocalDomain(string? domain) =>
        domain is null
        || string.Equals(domain, urls.AccountDomain, StringComparison.OrdinalIgnoreCase)
        || string.Equals(domain, urls.WebDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The link Mastodon's <c>TextFormatter#link_to_url</c> writes: scheme and <c>www.</c> hidden, the next 30 characters
    /// shown (class <c>ellipsis</c> when more follow), the rest hidden. <c>noreferrer</c> was dropped in Mastodon PR #37107.
    /// </summary>
    private static void AppendUrlLink(StringBuilder html, ReadOnlySpan<char> url)
    {
        // URL_PREFIX_REGEX is case-sensitive: "HTTPS://" stays visible, as in Mastodon.
        var prefixLength = url.StartsWith("https://", StringComparison.Ordinal) ? 8
            : url.StartsWith("http://", StringComparison.Ordinal) ? 7
            : 0;
        if (prefixLength > 0 && url[prefixLength..].StartsWith("www.", StringComparison.Ordinal))
        {
            prefixLength += 4;
        }

        // Ruby slices by code points, so never split a surrogate pair.
        var rest = url[prefixLength..];
        var visibleLength = 0;
        var runes = 0;
        foreach (var rune in rest.EnumerateRunes())
        {
            if (runes == VisibleUrlLength)
            {
                break;
            }

            visibleLength += rune.Utf16SequenceLength;
            runes++;
        }

        var cutoff = visibleLength < rest.Length;
        html.Append("<a href=\"");
        AppendEscaped(html, url);
        html.Append("\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">");
        AppendEscaped(html, url[..prefixLength]);
        html.Append("</span><span class=\"").Append(cutoff ? "ellipsis" : "").Append("\">");
        AppendEscaped(html, rest[..visibleLength]);
        html.Append("</span><span class=\"invisible\">");
        AppendEscaped(html, rest[visibleLength..]);
        html.Append("</span></a>");
    }

    /// <summary>TextFormatter#link_to_hashtag; the tag as written, percent-encoded in the href like Rails' tag_url.</summary>
    private void AppendHashtagLink(StringBuilder html, string name)
    {
        html.Append("<a href=\"");
        AppendEscaped(html, $"{urls.Base}/tags/{Uri.EscapeDataString(name)}");
        html.Append("\" class=\"mention hashtag\" rel=\"tag\">#<span>");
        AppendEscaped(html, name);
        html.Append("</span></a>");
    }

    /// <summary>
    /// TextFormatter#link_to_mention: the account's username only, unless another mentioned account shares it, then
    /// <c>user@domain</c> for the remote one (Mastodon's same_username_hits with preloaded accounts).
    /// </summary>
    private static void AppendMentionLink(StringBuilder html, MentionTarget target, bool usernameIsShared)
    {
        var ambiguous = usernameIsShared && target.Domain is not null;
        html.Append("<span class=\"h-card\" translate=\"no\"><a href=\"");
        AppendEscaped(html, target.ProfileUrl);
        html.Append("\" class=\"u-url mention\">@<span>");
        AppendEscaped(html, ambiguous ? $"{target.Username}@{target.Domain}" : target.Username);
        html.Append("</span></a></span>");
    }

    /// <summary>
    /// Rails simple_format as Mastodon calls it: paragraphs split on two or more line feeds, single line feeds become
    /// <c>&lt;br /&gt;</c>, no line feeds left in the output.
    /// </summary>
    private static string Paragraphs(string html)
    {
        var result = new StringBuilder(html.Length + 16);
        var i = 0;
        while (i < html.Length)
        {
            var end = html.IndexOf("\n\n", i, StringComparison.Ordinal);
            if (end < 0)
            {
                end = html.Length;
            }

            result.Append("<p>");
            var paragraphStart = result.Length;
            result.Append(html, i, end - i);
            result.Replace("\n", "<br />", paragraphStart, end - i);
            result.Append("</p>");
            i = end;
            while (i < html.Length && html[i] == '\n')
            {
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>ERB::Util.html_escape: &amp; &lt; &gt; " and ' only; every other character stays as it is.</summary>
    private static void AppendEscaped(StringBuilder html, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    html.Append("&amp;");
                    break;
                case '<':
                    html.Append("&lt;");
                    break;
                case '>':
                    html.Append("&gt;");
                    break;
                case '"':
                    html.Append("&quot;");
                    break;
                case '\'':
                    html.Append("&#39;");
                    break;
                default:
                    html.Append(c);
                    break;
            }
        }
    }

    /// <summary>ActiveSupport's blank?: nothing but Unicode white space.</summary>
    private static bool IsBlank(string text) => text.All(char.IsWhiteSpace);
}
