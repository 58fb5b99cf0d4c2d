using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.Web;

/// <summary>
/// The minimal public profile page the actor URL sends browsers to. Every value is HTML-encoded; no script, no
/// third-party resource, no cookie. The full public web (posts, feeds, about pages) belongs to the web feature.
/// </summary>
public sealed class WebPages(AccountStore accounts, InstanceUrls urls, FediOptions options)
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
            .Append("<p>To follow, search for <strong>").Append(enc.Encode(handle)).Append("</strong> on your own server.</p>")
            .Append("</main>")
            .ToString();
        var head = $"<link rel=\"alternate\" type=\"application/activity+json\" href=\"{enc.Encode(urls.Actor(account.Username))}\">";
        return Page(StatusCodes.Status200OK, $"{name} ({handle})", body, head);
    }

    public WireResult StatusNotFound() =>
        Page(StatusCodes.Status404NotFound, "Not found", "<main><h1>Not found</h1><p>This post does not exist or is not public.</p></main>");

    private WireResult Page(int status, string title, string mainHtml, string extraHead = "")
    {
        var enc = HtmlEncoder.Default;
        var lang = options.Languages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "en";
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
