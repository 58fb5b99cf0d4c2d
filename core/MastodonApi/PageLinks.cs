using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The <c>Link</c> header of a paginated Mastodon list (docs: api/guidelines#pagination):
/// <c>&lt;{base}{path}?max_id={oldest}&amp;…&gt;; rel="next", &lt;{base}{path}?min_id={newest}&amp;…&gt;; rel="prev"</c>.
/// The URL is the configured public origin plus the request's path (never the request's host); every query parameter
/// except the three cursors is kept in its original order. <c>next</c> is emitted only when the page is full
/// (as many items as the limit), so a client following <c>next</c> stops on the last page instead of looping;
/// <c>prev</c> whenever the page has items; an empty page has no header.
/// <code>
/// result.WithPageLinks(PageLinks.Build(urls, request, page, idsNewestFirst));
/// </code>
/// </summary>
public static class PageLinks
{
    private static readonly string[] Cursors = ["max_id", "since_id", "min_id"];

    /// <summary>The header value, or null when there is nothing to link (an empty page).</summary>
    /// <param name="idsNewestFirst">The ids of the items on this page as answered (newest first).</param>
    public static string? Build(InstanceUrls urls, HttpRequest request, PageRequest page, IReadOnlyList<string> idsNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build(urls, request.Path.Value ?? "/", request.Query.SelectMany(q => q.Value.Select(v => (q.Key, v ?? ""))), page, idsNewestFirst);
    }

    /// <summary>As above with the path (e.g. <c>/api/v1/timelines/home</c>) and query pairs given explicitly.</summary>
    public static string? Build(InstanceUrls urls, string path, IEnumerable<(string Name, string Value)> query, PageRequest page, IReadOnlyList<string> idsNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(idsNewestFirst);
        if (idsNewestFirst.Count == 0)
        {
            return null;
        }

        var kept = query.Where(q => !Cursors.Contains(q.Name, StringComparer.Ordinal)).ToList();
        var links = new List<string>(2);
        if (idsNewestFirst.Count >= page.Limit)
        {
            links.Add($"<{Url(urls, path, kept, "max_id", idsNewestFirst[^1])}>; rel=\"next\"");
        }

        links.Add($"<{Url(urls, path, kept, "min_id", idsNewestFirst[0])}>; rel=\"prev\"");
        return string.Join(", ", links);
    }

    /// <summary>Adds the header when there is one.</summary>
    public static WireResult WithPageLinks(this WireResult result, string? link)
    {
        ArgumentNullException.ThrowIfNull(result);
        return link is null ? result : result.WithHeader("Link", link);
    }

    private static string Url(InstanceUrls urls, string path, List<(string Name, string Value)> kept, string cursor, string id)
    {
        var sb = new StringBuilder(urls.Base).Append(path.StartsWith('/') ? path : "/" + path).Append('?');
        foreach (var (name, value) in kept)
        {
            sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        return sb.Append(cursor).Append('=').Append(Uri.EscapeDataString(id)).ToString();
    }
}
