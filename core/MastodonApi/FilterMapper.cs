using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFedi.Filters;

namespace ServerlessFedi.MastodonApi;

/// <summary>Filters onto the wire: v2 Filter, FilterKeyword, FilterStatus, FilterResult, and the v1 Filter (one per keyword).</summary>
public static class FilterMapper
{
    public static JsonObject ToFilter(Filter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new JsonObject
        {
            ["id"] = f.Id,
            ["title"] = f.Title,
            ["context"] = new JsonArray(f.Context.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["expires_at"] = f.ExpiresAt is { } e ? Timestamp(e) : null,
            ["filter_action"] = f.Action,
            ["keywords"] = new JsonArray(f.Keywords.Select(k => (JsonNode)ToKeyword(k)).ToArray()),
            ["statuses"] = new JsonArray(f.Statuses.Select(s => (JsonNode)ToStatus(s)).ToArray()),
        };
    }

    public static JsonObject ToKeyword(FilterKeyword k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new JsonObject { ["id"] = k.Id, ["keyword"] = k.Keyword, ["whole_word"] = k.WholeWord };
    }

    public static JsonObject ToStatus(FilterStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new JsonObject { ["id"] = s.Id, ["status_id"] = s.StatusId };
    }

    /// <summary>A status's <c>filtered</c> array (entities/FilterResult); empty when nothing matched.</summary>
    public static JsonArray ToFilterResults(IEnumerable<FilterMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        return new JsonArray(matches.Select(m => (JsonNode)new JsonObject
        {
            ["filter"] = ToFilter(m.Filter),
            ["keyword_matches"] = m.KeywordMatches.Count == 0 ? null : new JsonArray(m.KeywordMatches.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
            ["status_matches"] = m.StatusMatches.Count == 0 ? null : new JsonArray(m.StatusMatches.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
        }).ToArray());
    }

    /// <summary>The v1 Filter (entities/V1_Filter): Mastodon presents each keyword of a v2 filter as one, with the keyword's id.</summary>
    public static JsonObject ToV1Filter(Filter f, FilterKeyword k)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(k);
        return new JsonObject
        {
            ["id"] = k.Id,
            ["phrase"] = k.Keyword,
            ["context"] = new JsonArray(f.Context.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["whole_word"] = k.WholeWord,
            ["expires_at"] = f.ExpiresAt is { } e ? Timestamp(e) : null,
            ["irreversible"] = f.Action == "hide",
        };
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
