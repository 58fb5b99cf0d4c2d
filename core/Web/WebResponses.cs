using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.Web;

/// <summary>
/// The headers every public page and feed carries: a strict Content-Security-Policy (nothing but our own stylesheet,
/// images, video and audio), no sniffing, no referrer, no cookie; <c>Cache-Control: public</c> and a strong ETag so a CDN can absorb load,
/// with <c>If-None-Match</c> answered 304 (RFC 9110 13.1.2 compares weakly, so a <c>W/</c> prefix still matches).
/// </summary>
public static class WebResponses
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// Pages with the remote-follow form: CSP Level 3 checks form-action on the redirects that follow a submission too,
    /// and our own <c>remote_follow</c> answers with a redirect to the citizen's (https) server.
    /// </summary>
    public const string ContentSecurityPolicyWithRemoteFollow =
        "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";

    public const int PageMaxAgeSeconds = 60;

    /// <summary>
    /// The policy with <paramref name="mediaBase"/>'s origin added to <c>img-src</c> and <c>media-src</c> (posts' video and
    /// audio) when media is served from another origin (<c>Fedi__MediaBaseUrl</c>: the operator's own CDN in front of the
    /// media container); unchanged otherwise.
    /// </summary>
    public static string AllowImagesFrom(string csp, string mediaBase, string appBase)
    {
        ArgumentNullException.ThrowIfNull(csp);
        if (!Uri.TryCreate(mediaBase, UriKind.Absolute, out var media) || !Uri.TryCreate(appBase, UriKind.Absolute, out var app)
            || Uri.Compare(media, app, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return csp;
        }

        var origin = media.GetLeftPart(UriPartial.Authority);
        return csp.Replace("img-src 'self'", $"img-src 'self' {origin}", StringComparison.Ordinal)
            .Replace("media-src 'self'", $"media-src 'self' {origin}", StringComparison.Ordinal);
    }

    public static WireResult Html(HttpRequest? request, int status, string html, string csp = ContentSecurityPolicy) =>
        Cached(request, WireResult.Text(status, html, "text/html; charset=utf-8"), csp, PageMaxAgeSeconds);

    public static WireResult Cached(HttpRequest? request, WireResult result, string csp, int maxAgeSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(result.Body).AsSpan(0, 16)) + "\"";
        var answer = result.Status == StatusCodes.Status200OK && Matches(request?.Headers.IfNoneMatch.ToString(), etag)
            ? WireResult.Empty(StatusCodes.Status304NotModified)
            : result;
        return Secure(answer, csp)
            .WithHeader("ETag", etag)
            .WithHeader("Cache-Control", $"public, max-age={maxAgeSeconds}");
    }

    /// <summary>Security headers alone, for answers that must not be cached (redirects that depend on input).</summary>
    public static WireResult Secure(WireResult result, string csp = ContentSecurityPolicy)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result
            .WithHeader("Content-Security-Policy", csp)
            .WithHeader("X-Content-Type-Options", "nosniff")
            .WithHeader("Referrer-Policy", "no-referrer");
    }

    private static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
