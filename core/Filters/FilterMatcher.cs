using System.Net;
using System.Text.RegularExpressions;

namespace ServerlessFedi.Filters;

/// <summary>
/// Applies an account's filters to one status, as Mastodon does (docs: api/guidelines#filters, entities/FilterResult):
/// a filter applies when it is active (not expired), covers the context, and either names the status or has a keyword
/// found in the status's text (spoiler text and content, as plain text). Keywords match case-insensitively; a
/// <c>whole_word</c> keyword must start and end at word boundaries — the boundary is required only on a side where the
/// keyword itself begins or ends with a word character, so <c>#tag</c> or <c>c++</c> still match. Timelines set the
/// status's <c>filtered</c> to <c>MastodonApi.Mapping.FilterMapper.ToFilterResults</c> of the answer; a <c>hide</c> filter
/// means leaving the status out.
/// <code>
/// var filters = await filterStore.GetActiveAsync(viewer.Id, ct);     // once per page
/// var matches = FilterMatcher.Match(filters, FilterContexts.Home, status.Id, status.Text, status.SpoilerText, now);
/// if (matches.Any(m =&gt; m.Filter.Action == "hide")) skip; else status = status with { Filtered = FilterMapper.ToFilterResults(matches) };
/// </code>
/// </summary>
public static partial class FilterMatcher
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<FilterMatch> Match(IEnumerable<Filter> filters, string context, string statusId, string? plainText, string? spoilerText, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var text = string.IsNullOrEmpty(spoilerText) ? plainText ?? "" : $"{spoilerText}\n\n{plainText}";
        var matches = new List<FilterMatch>();
        foreach (var filter in filters)
        {
            if (!filter.IsActiveAt(now) || !filter.Context.Contains(context, StringComparer.Ordinal))
            {
                continue;
            }

            var keywords = filter.Keywords.Where(k => Matches(k, text)).Select(k => k.Keyword).ToArray();
            var statuses = filter.Statuses.Where(s => s.StatusId == statusId).Select(s => s.StatusId).ToArray();
            if (keywords.Length > 0 || statuses.Length > 0)
            {
                matches.Add(new FilterMatch(filter, keywords, statuses));
            }
        }

        return matches;
    }

    /// <summary>Whether one keyword occurs in <paramref name="text"/> under Mastodon's rules.</summary>
    public static bool Matches(FilterKeyword keyword, string text)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        ArgumentNullException.ThrowIfNull(text);
        if (keyword.Keyword.Length == 0)
        {
            return false;
        }

        if (!keyword.WholeWord)
        {
            return text.Contains(keyword.Keyword, StringComparison.OrdinalIgnoreCase)
                || text.Contains(keyword.Keyword, StringComparison.InvariantCultureIgnoreCase);
        }

        var start = IsWordChar(keyword.Keyword[0]) ? @"\b" : "";
        var end = IsWordChar(keyword.Keyword[^1]) ? @"\b" : "";
        return Regex.IsMatch(text, start + Regex.Escape(keyword.Keyword) + end, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>Plain text of status HTML for matching: tags dropped, paragraph and line breaks kept as new lines, entities decoded.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = BreakPattern().Replace(html, "\n");
        text = TagPattern().Replace(text, "");
        return WebUtility.HtmlDecode(text).Trim();
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.ConnectorPunctuation;

    [GeneratedRegex(@"<br\s*/?>|</p>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 200)]
    private static partial Regex BreakPattern();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant, 200)]
    private static partial Regex TagPattern();
}
