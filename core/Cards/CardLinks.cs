using AngleSharp.Html.Parser;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Cards;

/// <summary>
/// Which link of a status gets a preview card: the first link of its HTML (ours from our formatter, a remote one
/// sanitised) that is not a mention or a hashtag (their microformat classes, <c>rel="tag"</c>, or a mentioned account's
/// profile), not one of our own URLs, and http(s) with a host, as Mastodon's FetchLinkCardService chooses. A remote
/// status with a content warning gets none (Mastodon does not crawl those either), nor does a boost.
/// </summary>
public static class CardLinks
{
    /// <summary>The longest link previewed; longer ones are not fetched (Mastodon's unique index allows about 2,700 bytes).</summary>
    public const int MaxUrlLength = 2048;

    private static readonly HtmlParser Parser = new();

    /// <summary>The link to preview, or null when the status has none.</summary>
    public static Uri? FirstLink(Status status, InstanceUrls urls)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(urls);
        if (status.ReblogOfId is not null || status.DeletedAt is not null || (!status.IsLocal && status.SpoilerText.Length > 0) || !status.ContentHtml.Contains("href", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var own = new Uri(urls.Base);
        var mentioned = status.Mentions.Select(m => m.ProfileUrl).Concat(status.Mentions.Select(m => m.ActorId)).ToHashSet(StringComparer.Ordinal);
        using var document = Parser.ParseDocument(status.ContentHtml);
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!.Trim();
            var classes = a.ClassList;
            var rel = (a.GetAttribute("rel") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (classes.Contains("mention") || classes.Contains("u-url") || classes.Contains("hashtag") || rel.Contains("tag", StringComparer.OrdinalIgnoreCase)
                || a.Closest(".h-card") is not null || mentioned.Contains(href) || href.Length > MaxUrlLength)
            {
                continue;
            }

            if (Uri.TryCreate(href, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0 && string.IsNullOrEmpty(url.UserInfo)
                && !(string.Equals(url.Host, own.Host, StringComparison.OrdinalIgnoreCase) && url.Port == own.Port))
            {
                return url;
            }
        }

        return null;
    }
}
