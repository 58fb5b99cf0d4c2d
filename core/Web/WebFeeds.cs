using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Web;

/// <summary>
/// An account's public posts as RSS 2.0 (<c>/@user.rss</c>, as Mastodon serves it) and Atom (RFC 4287, <c>/@user.atom</c>).
/// Written with <see cref="XmlWriter"/>, which escapes every value; the status HTML travels as escaped text in
/// <c>description</c> / <c>content type="html"</c>. The feed's own description is in the request's page language.
/// Storage: 2 reads (account) + 1 range query.
/// </summary>
public sealed class WebFeeds(AccountStore accounts, StatusStore statuses, InstanceUrls urls, WebPages pages, PageLanguages languages)
{
    public const int Items = 20;

    private const string AtomNs = "http://www.w3.org/2005/Atom";

    public Task<WireResult> RssAsync(string username, HttpRequest request, CancellationToken cancellationToken) =>
        FeedAsync(username, request, WriteRss, "application/rss+xml; charset=utf-8", cancellationToken);

    public Task<WireResult> AtomAsync(string username, HttpRequest request, CancellationToken cancellationToken) =>
        FeedAsync(username, request, WriteAtom, "application/atom+xml; charset=utf-8", cancellationToken);

    private async Task<WireResult> FeedAsync(string username, HttpRequest request, Action<XmlWriter, LocalAccount, IReadOnlyList<Status>, PageLanguage> write, string contentType, CancellationToken cancellationToken)
    {
        var account = await accounts.GetByUsernameAsync(username, cancellationToken);
        if (account is null)
        {
            return await pages.AccountNotFoundAsync(request);
        }

        var page = await statuses.GetAccountStatusesAsync(account.Id, null, Items, cancellationToken);
        var posts = page.Where(s => s.Visibility == Visibility.Public && s.DeletedAt is null).ToList();
        var language = languages.For(request);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false }))
        {
            write(writer, account, posts, language);
        }

        return WebPages.WithVary(WebResponses.Cached(request, WireResult.Bytes(StatusCodes.Status200OK, buffer.ToArray(), contentType), WebResponses.ContentSecurityPolicy, WebResponses.PageMaxAgeSeconds), language)
            .WithHeader("Access-Control-Allow-Origin", "*");
    }

    private void WriteRss(XmlWriter w, LocalAccount account, IReadOnlyList<Status> posts, PageLanguage language)
    {
        var profile = urls.Profile(account.Username);
        w.WriteStartDocument();
        w.WriteStartElement("rss");
        w.WriteAttributeString("version", "2.0");
        w.WriteAttributeString("xmlns", "atom", null, AtomNs);
        w.WriteStartElement("channel");
        w.WriteElementString("title", Name(account));
        w.WriteElementString("link", profile);
        w.WriteElementString("description", language.Format("Profile.Description", $"@{account.Username}@{urls.AccountDomain}"));
        w.WriteStartElement("atom", "link", AtomNs);
        w.WriteAttributeString("rel", "self");
        w.WriteAttributeString("type", "application/rss+xml");
        w.WriteAttributeString("href", $"{profile}.rss");
        w.WriteEndElement();
        if (posts.Count > 0)
        {
            w.WriteElementString("lastBuildDate", posts[0].CreatedAt.ToString("r", CultureInfo.InvariantCulture));
        }

        w.WriteElementString("generator", "ServerlessFedi");
        foreach (var status in posts)
        {
            var url = urls.StatusPage(account.Username, status.Id);
            w.WriteStartElement("item");
            w.WriteElementString("title", Title(status));
            w.WriteElementString("link", url);
            w.WriteStartElement("guid");
            w.WriteAttributeString("isPermaLink", "true");
            w.WriteString(url);
            w.WriteEndElement();
            w.WriteElementString("pubDate", status.CreatedAt.ToString("r", CultureInfo.InvariantCulture));
            w.WriteElementString("description", status.ContentHtml);
            if (status.Media.Count > 0)
            {
                // RSS allows one enclosure per item: the first image; length is unknown here (0, as RSS 2.0 advises then).
                w.WriteStartElement("enclosure");
                w.WriteAttributeString("url", urls.Media(status.Media[0].OriginalBlob));
                w.WriteAttributeString("length", "0");
                w.WriteAttributeString("type", status.Media[0].OriginalContentType);
                w.WriteEndElement();
            }

            foreach (var tag in status.Tags)
            {
                w.WriteElementString("category", tag);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private void WriteAtom(XmlWriter w, LocalAccount account, IReadOnlyList<Status> posts, PageLanguage language)
    {
        var profile = urls.Profile(account.Username);
        w.WriteStartDocument();
        w.WriteStartElement("feed", AtomNs);
        w.WriteElementString("id", AtomNs, profile);
        w.WriteElementString("title", AtomNs, Name(account));
        w.WriteElementString("subtitle", AtomNs, language.Format("Profile.Description", $"@{account.Username}@{urls.AccountDomain}"));
        w.WriteElementString("updated", AtomNs, Iso(posts.Count > 0 ? posts[0].EditedAt ?? posts[0].CreatedAt : account.CreatedAt));
        Link(w, "alternate", "text/html", profile);
        Link(w, "self", "application/atom+xml", $"{profile}.atom");
        w.WriteStartElement("author", AtomNs);
        w.WriteElementString("name", AtomNs, Name(account));
        w.WriteElementString("uri", AtomNs, profile);
        w.WriteEndElement();
        w.WriteElementString("generator", AtomNs, "ServerlessFedi");
        foreach (var status in posts)
        {
            var url = urls.StatusPage(account.Username, status.Id);
            w.WriteStartElement("entry", AtomNs);
            w.WriteElementString("id", AtomNs, urls.Status(account.Username, status.Id));
            w.WriteElementString("title", AtomNs, Title(status));
            w.WriteElementString("published", AtomNs, Iso(status.CreatedAt));
            w.WriteElementString("updated", AtomNs, Iso(status.EditedAt ?? status.CreatedAt));
            Link(w, "alternate", "text/html", url);
            w.WriteStartElement("content", AtomNs);
            w.WriteAttributeString("type", "html");
            w.WriteString(status.ContentHtml);
            w.WriteEndElement();
            foreach (var media in status.Media)
            {
                Link(w, "enclosure", media.OriginalContentType, urls.Media(media.OriginalBlob));
            }

            foreach (var tag in status.Tags)
            {
                w.WriteStartElement("category", AtomNs);
                w.WriteAttributeString("term", tag);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void Link(XmlWriter w, string rel, string type, string href)
    {
        w.WriteStartElement("link", AtomNs);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static string Name(LocalAccount account) => string.IsNullOrWhiteSpace(account.DisplayName) ? account.Username : account.DisplayName;

    private static string Title(Status status) => WebPages.Excerpt(status.SpoilerText.Length > 0 ? status.SpoilerText : status.Text, 80);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
