using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Web;

/// <summary>
/// The minimal public profile and status pages the ActivityPub URLs send browsers to. Every value is HTML-encoded,
/// except status content, which is HTML our own formatter produced from escaped text; no script, no third-party
/// resource, no cookie. The full public web (threads, media, feeds, about pages) belongs to the web feature.
/// </summary>
public sealed class WebPages(AccountStore accounts, StatusStore statuses, InstanceUrls urls, FediOptions options)
{
    private const string Csp = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";

    public async Task<WireResult> ProfileAsync(string username, CancellationToken cancellationToken)
    {
        var account = await accounts.GetByUsernameAsync(username, cancellationToken);
        if (account is null)
        {
            return Page(StatusCodes.Status404NotFound, "Not found", "<main><h1>Not found</h1><p>There is no account with this name on this server.</p></main>");
        }

        var enc = HtmlEncoder.Default;
        var name = string.IsNullOrWhiteSpace(account.DisplayName) ? account.Username : account.DisplayName;
        var handle = $"@{account.Username}@{urls.AccountDomain}";
        var body = new StringBuilder()
            .Append("<main class=\"h-card\"><h1 class=\"p-name\">").Append(enc.Encode(name)).Append("</h1>")
            .Append("<p><a class=\"u-url\" rel=\"me\" href=\"").Append(enc.Encode(urls.Profile(account.Username))).Append("\">")
            .Append(enc.Encode(handle)).Append("</a></p>")
            .Append("<p>To follow, search for <strong>").Append(enc.Encode(handle)).Append("</strong> on your own server.</p>");
        var recent = (await statuses.GetAccountStatusesAsync(account.Id, null, 20, cancellationToken)).Where(s => s.Visibility == Visibility.Public).ToList();
        body.Append("<section aria-labelledby=\"posts\"><h2 id=\"posts\">Posts</h2>");
        if (recent.Count == 0)
        {
            body.Append("<p>No public posts yet.</p>");
        }

        foreach (var status in recent)
        {
            AppendStatus(body, status, account, headingLevel: 3);
        }

        body.Append("</section></main>");
        var head = $"<link rel=\"alternate\" type=\"application/activity+json\" href=\"{enc.Encode(urls.Actor(account.Username))}\">";
        return Page(StatusCodes.Status200OK, $"{name} ({handle})", body.ToString(), head);
    }

    /// <summary>A public or unlisted status on its own page; others (and deleted ones) are not found.</summary>
    public async Task<WireResult> StatusAsync(string username, string statusId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetByUsernameAsync(username, cancellationToken);
        var status = account is null ? null : await statuses.GetAsync(statusId, cancellationToken);
        if (account is null || status is null || status.AccountId != account.Id || status.DeletedAt is not null
            || status.Visibility is not (Visibility.Public or Visibility.Unlisted))
        {
            return StatusNotFound();
        }

        var enc = HtmlEncoder.Default;
        var name = string.IsNullOrWhiteSpace(account.DisplayName) ? account.Username : account.DisplayName;
        var body = new StringBuilder("<main><h1>Post by ").Append(enc.Encode(name)).Append("</h1>");
        AppendStatus(body, status, account, headingLevel: 0);
        body.Append("<p><a href=\"").Append(enc.Encode(urls.Profile(account.Username))).Append("\">More from ").Append(enc.Encode(name)).Append("</a></p></main>");
        var head = $"<link rel=\"alternate\" type=\"application/activity+json\" href=\"{enc.Encode(urls.Status(account.Username, status.Id))}\">";
        return Page(StatusCodes.Status200OK, $"{name}: {Excerpt(status.Text)}", body.ToString(), head, status.Language);
    }

    private void AppendStatus(StringBuilder body, Status status, LocalAccount author, int headingLevel)
    {
        var enc = HtmlEncoder.Default;
        var url = urls.StatusPage(author.Username, status.Id);
        body.Append("<article class=\"h-entry\"");
        if (!string.IsNullOrEmpty(status.Language))
        {
            body.Append(" lang=\"").Append(enc.Encode(status.Language)).Append('"');
        }

        body.Append('>');
        if (headingLevel > 0)
        {
            body.Append("<h").Append(headingLevel).Append(" class=\"p-name\"><a class=\"u-url\" href=\"").Append(enc.Encode(url)).Append("\">")
                .Append(enc.Encode(Excerpt(status.Text))).Append("</a></h").Append(headingLevel).Append('>');
        }

        if (!string.IsNullOrEmpty(status.SpoilerText))
        {
            body.Append("<details><summary>").Append(enc.Encode(status.SpoilerText)).Append("</summary>");
        }

        // Our formatter's output: escaped text with links, paragraphs and line breaks only.
        body.Append("<div class=\"e-content\">").Append(status.ContentHtml).Append("</div>");
        if (!string.IsNullOrEmpty(status.SpoilerText))
        {
            body.Append("</details>");
        }

        body.Append("<p><time class=\"dt-published\" datetime=\"").Append(enc.Encode(ServerlessFedi.MastodonApi.MastodonMapper.Time(status.CreatedAt))).Append("\">")
            .Append(enc.Encode(status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))).Append("</time></p></article>");
    }

    private static string Excerpt(string text) => text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..57].ReplaceLineEndings(" ") + "...";

    public WireResult StatusNotFound() =>
        Page(StatusCodes.Status404NotFound, "Not found", "<main><h1>Not found</h1><p>This post does not exist or is not public.</p></main>");

    private WireResult Page(int status, string title, string mainHtml, string extraHead = "", string? language = null)
    {
        var enc = HtmlEncoder.Default;
        var lang = language ?? options.Languages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "en";
        var html = $"<!DOCTYPE html><html lang=\"{enc.Encode(lang)}\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{enc.Encode(title)} - {enc.Encode(options.InstanceTitle)}</title>{extraHead}</head>"
            + $"<body><header><p><a href=\"{enc.Encode(urls.Base)}/\">{enc.Encode(options.InstanceTitle)}</a></p></header>{mainHtml}</body></html>";
        return WireResult.Text(status, html, "text/html; charset=utf-8")
            .WithHeader("Content-Security-Policy", Csp)
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("Referrer-Policy", "no-referrer")
            .WithHeader("Cache-Control", "max-age=60, public");
    }
}
