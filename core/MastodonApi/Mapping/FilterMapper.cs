using ServerlessFedi.MastodonApi.Entities;
using Domain = ServerlessFedi.Filters;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Filters onto the wire: v2 Filter, FilterKeyword, FilterStatus, FilterResult, and the v1 Filter (one per keyword).</summary>
public static class FilterMapper
{
    public static Filter ToFilter(Domain.Filter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new Filter
        {
            Id = f.Id,
            Title = f.Title,
            Context = f.Context,
            ExpiresAt = f.ExpiresAt,
            FilterAction = f.Action,
            Keywords = [.. f.Keywords.Select(ToKeyword)],
            Statuses = [.. f.Statuses.Select(ToStatus)],
        };
    }

    public static FilterKeyword ToKeyword(Domain.FilterKeyword k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new(k.Id, k.Keyword, k.WholeWord);
    }

    public static FilterStatus ToStatus(Domain.FilterStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.StatusId);
    }

    /// <summary>A status's <c>filtered</c> (entities/FilterResult); empty when nothing matched.</summary>
    public static IReadOnlyList<FilterResult> ToFilterResults(IEnumerable<Domain.FilterMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        return [.. matches.Select(m => new FilterResult(
            ToFilter(m.Filter),
            m.KeywordMatches.Count == 0 ? null : m.KeywordMatches,
            m.StatusMatches.Count == 0 ? null : m.StatusMatches))];
    }

    /// <summary>The v1 Filter (entities/V1_Filter): Mastodon presents each keyword of a v2 filter as one, with the keyword's id.</summary>
    public static V1Filter ToV1Filter(Domain.Filter f, Domain.FilterKeyword k)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(k);
        return new(k.Id, k.Keyword, f.Context, k.WholeWord, f.ExpiresAt, f.Action == "hide");
    }
}
