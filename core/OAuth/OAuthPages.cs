using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;

namespace ServerlessFedi.OAuth;

/// <summary>
/// The HTML of the authorization flow: login form, second-factor form, out-of-band code, errors, in the language <see cref="PageLanguages"/>
/// chooses (texts in Localization/Resources). Every value goes through <see cref="HtmlEncoder"/>; no script, no
/// third-party resource; the CSRF cookie is the only cookie.
/// </summary>
public sealed class OAuthPages(InstanceUrls urls, FediOptions options, PageLanguages languages)
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1c1c1c;background:#fff}"
        + "label{display:block;margin-top:1rem;font-weight:600}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px}"
        + "button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1a4f9c;color:#fff;border:0;border-radius:4px;cursor:pointer}"
        + ":focus-visible{outline:3px solid #c25400;outline-offset:2px}.error{color:#a00000;font-weight:600}code{word-break:break-all}";

    /// <summary>The name of the CSRF cookie: <c>__Host-</c>-prefixed on https (no Domain, Path=/, Secure), plain on http.</summary>
    public string CsrfCookieName => IsHttps ? "__Host-oauth_csrf" : "oauth_csrf";

    private bool IsHttps => urls.Base.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The language of an authorization page: Mastodon's <c>lang</c> parameter, else <c>Accept-Language</c>, else the default.</summary>
    public PageLanguage Language(HttpRequest request, string? lang)
    {
        ArgumentNullException.ThrowIfNull(request);
        return languages.Choose(lang, request.Headers.AcceptLanguage);
    }

    public WireResult Login(AuthorizationRequest request, string csrfToken, PageLanguage language, int status = StatusCodes.Status200OK, OAuthPageError? error = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(language);
        var enc = HtmlEncoder.Default;
        var app = request.Application;
        var title = language.Format("Login.Title", app.Name);
        var body = new StringBuilder();
        body.Append("<main><h1>").Append(enc.Encode(title)).Append("</h1>");
        var appHtml = "<strong>" + enc.Encode(app.Name) + "</strong>" + (app.Website is null ? "" : " (" + enc.Encode(app.Website) + ")");
        body.Append("<p>").Append(language.ComposeHtml("Login.Asks", appHtml, enc.Encode(options.InstanceTitle))).Append("</p>");
        body.Append("<h2>").Append(enc.Encode(language["Login.Permissions"])).Append("</h2><ul>");
        foreach (var scope in request.Scopes)
        {
            body.Append("<li><code>").Append(enc.Encode(scope)).Append("</code></li>");
        }

        body.Append("</ul>");
        if (error is { } shown)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"login-error\">").Append(enc.Encode(language[$"OAuthError.{shown}.Message"])).Append("</p>");
        }

        body.Append("<h2>").Append(enc.Encode(language["Login.LogIn"])).Append("</h2>");
        FormStart(body, request, csrfToken);
        var described = error is null ? "" : " aria-describedby=\"login-error\"";
        body.Append("<label for=\"username\">").Append(enc.Encode(language["Login.Username"])).Append("</label>")
            .Append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required").Append(described).Append('>')
            .Append("<label for=\"password\">").Append(enc.Encode(language["Login.Password"])).Append("</label>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required").Append(described).Append('>')
            .Append("<button type=\"submit\">").Append(enc.Encode(language["Login.Submit"])).Append("</button></form>");
        if (request.RedirectUri != OAuthApplicationStore.OutOfBand)
        {
            body.Append("<p>").Append(language.ComposeHtml("Login.SentBack", "<code>" + enc.Encode(request.RedirectUri) + "</code>")).Append("</p>");
        }

        body.Append("</main>");
        var formAction = RedirectUriRules.FormActionSource(request.RedirectUri);
        return Page(status, title, body.ToString(), language, formAction)
            .WithHeader("Set-Cookie", $"{CsrfCookieName}={csrfToken}; Path=/; HttpOnly; SameSite=Strict{(IsHttps ? "; Secure" : "")}");
    }

    /// <summary>
    /// The second step of a login with a second factor: one field for the authenticator's code or a recovery code, posted
    /// with the authorization request, the CSRF token and the ticket of the password step.
    /// </summary>
    public WireResult SecondFactor(AuthorizationRequest request, string csrfToken, string ticket, PageLanguage language, int status = StatusCodes.Status200OK, OAuthPageError? error = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(language);
        var enc = HtmlEncoder.Default;
        var title = language["SecondFactor.Title"];
        var body = new StringBuilder();
        body.Append("<main><h1>").Append(enc.Encode(title)).Append("</h1>");
        body.Append("<p id=\"otp-hint\">").Append(enc.Encode(language["SecondFactor.Prompt"])).Append("</p>");
        if (error is { } shown)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"login-error\">").Append(enc.Encode(language[$"OAuthError.{shown}.Message"])).Append("</p>");
        }

        FormStart(body, request, csrfToken);
        Hidden(body, "login_ticket", ticket);
        body.Append("<label for=\"otp\">").Append(enc.Encode(language["SecondFactor.Code"])).Append("</label>")
            .Append("<input id=\"otp\" name=\"otp\" type=\"text\" autocomplete=\"one-time-code\" autocapitalize=\"none\" spellcheck=\"false\" maxlength=\"32\" required autofocus")
            .Append(" aria-describedby=\"otp-hint").Append(error is null ? "" : " login-error").Append("\">")
            .Append("<button type=\"submit\">").Append(enc.Encode(language["SecondFactor.Submit"])).Append("</button></form></main>");
        return Page(status, title, body.ToString(), language, RedirectUriRules.FormActionSource(request.RedirectUri));
    }

    public WireResult OutOfBandCode(AuthorizationRequest request, string code, PageLanguage language)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(language);
        var enc = HtmlEncoder.Default;
        var body = "<main><h1>" + enc.Encode(language["Code.Title"]) + "</h1>"
            + "<p>" + language.ComposeHtml("Code.Paste", "<strong>" + enc.Encode(request.Application.Name) + "</strong>") + "</p>"
            + "<p><label for=\"code\">" + enc.Encode(language["Code.Label"]) + "</label><input id=\"code\" type=\"text\" readonly value=\"" + enc.Encode(code) + "\"></p>"
            + "<p>" + enc.Encode(language["Code.Validity"]) + "</p></main>";
        return Page(StatusCodes.Status200OK, language["Code.Title"], body, language);
    }

    public WireResult Error(int status, OAuthPageError error, PageLanguage language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var enc = HtmlEncoder.Default;
        var title = language[$"OAuthError.{error}.Title"];
        return Page(status, title, $"<main><h1>{enc.Encode(title)}</h1><p>{enc.Encode(language[$"OAuthError.{error}.Message"])}</p></main>", language);
    }

    /// <summary>The form's opening tag and the authorization request with the CSRF token as hidden fields.</summary>
    private void FormStart(StringBuilder body, AuthorizationRequest request, string csrfToken)
    {
        body.Append("<form method=\"post\" action=\"").Append(HtmlEncoder.Default.Encode(urls.Base + "/oauth/authorize")).Append("\">");
        Hidden(body, "csrf_token", csrfToken);
        Hidden(body, "response_type", "code");
        Hidden(body, "client_id", request.Application.ClientId);
        Hidden(body, "redirect_uri", request.RedirectUri);
        Hidden(body, "scope", string.Join(' ', request.Scopes));
        Hidden(body, "state", request.State);
        Hidden(body, "code_challenge", request.CodeChallenge);
        Hidden(body, "code_challenge_method", request.CodeChallengeMethod);
        Hidden(body, "lang", request.Lang);
    }

    private static void Hidden(StringBuilder body, string name, string? value)
    {
        if (value is not null)
        {
            body.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(HtmlEncoder.Default.Encode(value)).Append("\">");
        }
    }

    private WireResult Page(int status, string title, string mainHtml, PageLanguage language, string? formAction = null)
    {
        var enc = HtmlEncoder.Default;
        var html = $"<!DOCTYPE html><html lang=\"{enc.Encode(language.Code)}\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<meta name=\"referrer\" content=\"no-referrer\"><title>{enc.Encode(title)} - {enc.Encode(options.InstanceTitle)}</title><style>{Style}</style></head>"
            + $"<body><header><p><a href=\"{enc.Encode(urls.Base)}/\">{enc.Encode(options.InstanceTitle)}</a></p></header>{mainHtml}</body></html>";
        var csp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'" + (formAction is null ? "" : " " + formAction)
            + "; frame-ancestors 'none'; base-uri 'none'";
        return WireResult.Text(status, html, "text/html; charset=utf-8")
            .WithHeader("Content-Security-Policy", csp)
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("X-Frame-Options", "DENY")
            .WithHeader("Referrer-Policy", "no-referrer")
            .WithHeader("Cache-Control", "no-store");
    }
}
