using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The cursor of a paginated Mastodon list (docs: api/guidelines#pagination): <c>max_id</c>, <c>since_id</c>,
/// <c>min_id</c> and <c>limit</c>. Use it with <see cref="PageLinks"/>:
/// <code>
/// var page = r.Page(defaultLimit: 20, maxLimit: 40);   // ApiRequest; PageRequest.Parse(request.Query, 20, 40) elsewhere
/// var items = ...;   // newest first: ids &lt; MaxId, ids &gt; SinceId / MinId, at most page.Limit items
/// return Ok(entities, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, r.Http, page, items.Select(i =&gt; i.Id).ToList()));
/// </code>
/// Rules, as Mastodon applies them: a cursor that is not a decimal id (1 to 19 digits) is ignored, not an error;
/// <c>limit</c> missing, unparsable or below 1 takes the endpoint's default, above the endpoint's maximum it is clamped.
/// <c>max_id</c> pages back (older items, exclusive); <c>since_id</c> gives the newest items newer than it;
/// <c>min_id</c> gives the items immediately newer than it (the page just after the cursor), still answered newest first.
/// When both <c>min_id</c> and <c>since_id</c> are given, <c>min_id</c> wins.
/// </summary>
public sealed record PageRequest(string? MaxId, string? SinceId, string? MinId, int Limit)
{
    /// <summary>Reads the cursor from the query string (where every client sends it).</summary>
    public static PageRequest Parse(IQueryCollection query, int defaultLimit = 20, int maxLimit = 40)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Parse(name => query.TryGetValue(name, out var v) ? v.ToString() : null, defaultLimit, maxLimit);
    }

    /// <summary>Reads the cursor from parameters of any encoding (query, form, JSON).</summary>
    public static PageRequest Parse(ApiParameters parameters, int defaultLimit = 20, int maxLimit = 40)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Parse(parameters.Get, defaultLimit, maxLimit);
    }

    private static PageRequest Parse(Func<string, string?> get, int defaultLimit, int maxLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLimit, defaultLimit);
        var limit = long.TryParse(get("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l >= 1
            ? (int)Math.Min(l, maxLimit)
            : defaultLimit;
        return new PageRequest(Id(get("max_id")), Id(get("since_id")), Id(get("min_id")), limit);
    }

    /// <summary>True when the page is the one just after <see cref="MinId"/> (read it oldest first from the cursor, then reverse).</summary>
    public bool ReadsForward => MinId is not null;

    /// <summary>The lower exclusive bound: <c>min_id</c> or else <c>since_id</c>.</summary>
    public string? LowerBound => MinId ?? SinceId;

    /// <summary>Whether <paramref name="id"/> lies inside the cursor's bounds (ids compared as numbers).</summary>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return (MaxId is null || Compare(id, MaxId) < 0) && (LowerBound is null || Compare(id, LowerBound) > 0);
    }

    /// <summary>Numeric order of decimal ids of any length (shorter is smaller), without parsing.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    private static string? Id(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 19 || !value.All(char.IsAsciiDigit))
        {
            return null;
        }

        var trimmed = value.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
