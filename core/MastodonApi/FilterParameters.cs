using System.Globalization;
using ServerlessFedi.Filters;
using ServerlessFedi.Http;
using ServerlessFedi.Storage;
using static ServerlessFedi.MastodonApi.ApiResults;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The fields of <c>POST</c>/<c>PUT /api/v2/filters</c> (docs: methods/filters#create) applied to a filter, every rule
/// checked before anything is stored. <c>keywords_attributes</c> arrive as JSON objects, indexed form keys
/// (<c>keywords_attributes[0][keyword]</c>), or <c>keywords_attributes[][keyword]</c> form keys, which are paired by
/// position (every element must then carry the same fields).
/// </summary>
public sealed class FilterParameters(SnowflakeIds ids, TimeProvider time)
{
    private const int MaxKeywordLength = 200;

    private static readonly string[] KeywordFields = ["id", "keyword", "whole_word", "_destroy"];

    /// <summary>Mastodon's longest offered expiry is a week; a year bounds what a client may ask.</summary>
    private static readonly TimeSpan MaxExpiresIn = TimeSpan.FromDays(366);

    /// <summary>Applies the request's fields to <paramref name="filter"/>; the changed filter, or the 404/422 to answer.</summary>
    public (Filter? Filter, WireResult? Error) Apply(Filter filter, ApiParameters p, bool creating)
    {
        var title = p.Get("title");
        if (creating || title is not null)
        {
            var (valid, refusal) = Titles.Check(title);
            if (refusal is not null)
            {
                return (null, Invalid(refusal));
            }

            filter = filter with { Title = valid! };
        }

        if (creating || p.Has("context"))
        {
            var context = p.GetAll("context").Distinct(StringComparer.Ordinal).ToArray();
            if (context.Length == 0)
            {
                return (null, Invalid("Context can't be blank"));
            }

            if (context.FirstOrDefault(c => !FilterContexts.All.Contains(c)) is { } unknown)
            {
                return (null, Invalid($"Context '{unknown}' is not one of home, notifications, public, thread, account"));
            }

            filter = filter with { Context = context };
        }

        if (p.Get("filter_action") is { } action)
        {
            if (!FilterContexts.Actions.Contains(action))
            {
                return (null, Invalid($"Filter action '{action}' is not one of warn, hide, blur"));
            }

            filter = filter with { Action = action };
        }

        if (p.Has("expires_in"))
        {
            var expiresIn = p.Get("expires_in");
            if (string.IsNullOrEmpty(expiresIn))
            {
                filter = filter with { ExpiresAt = null };
            }
            else if (long.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxExpiresIn.TotalSeconds)
            {
                filter = filter with { ExpiresAt = time.GetUtcNow().AddSeconds(seconds) };
            }
            else
            {
                return (null, Invalid($"expires_in must be a number of seconds from 1 to {(long)MaxExpiresIn.TotalSeconds}"));
            }
        }

        var keywords = filter.Keywords.ToList();
        foreach (var attributes in p.GetHashes("keywords_attributes", KeywordFields))
        {
            attributes.TryGetValue("id", out var keywordId);
            attributes.TryGetValue("keyword", out var text);
            var wholeWord = attributes.TryGetValue("whole_word", out var w) ? IsTrue(w) : (bool?)null;
            var destroy = attributes.TryGetValue("_destroy", out var d) && IsTrue(d);
            if (!string.IsNullOrEmpty(keywordId))
            {
                var index = keywords.FindIndex(k => k.Id == keywordId);
                if (index < 0)
                {
                    return (null, NotFound());
                }

                if (destroy)
                {
                    keywords.RemoveAt(index);
                    continue;
                }

                if (text is not null && CheckKeyword(text) is { } invalid)
                {
                    return (null, Invalid(invalid));
                }

                keywords[index] = keywords[index] with { Keyword = text ?? keywords[index].Keyword, WholeWord = wholeWord ?? keywords[index].WholeWord };
            }
            else if (!destroy)
            {
                if (CheckKeyword(text) is { } invalid)
                {
                    return (null, Invalid(invalid));
                }

                keywords.Add(new FilterKeyword(ids.Next(), text!, wholeWord ?? false));
            }
        }

        if (keywords.Count > FilterStore.MaxKeywordsPerFilter)
        {
            return (null, Invalid($"a filter may have at most {FilterStore.MaxKeywordsPerFilter} keywords"));
        }

        return (filter with { Keywords = keywords }, null);
    }

    private static bool IsTrue(string value) => value.ToLowerInvariant() is "true" or "1" or "on" or "yes";

    /// <summary>Why a keyword is refused, or null.</summary>
    public static string? CheckKeyword(string? keyword) =>
        string.IsNullOrWhiteSpace(keyword) ? "Keyword can't be blank"
        : keyword.Length > MaxKeywordLength ? $"Keyword is too long (maximum is {MaxKeywordLength} characters)"
        : null;
}
