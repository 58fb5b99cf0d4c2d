using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ServerlessFedi.Http;

/// <summary>Decides between ActivityStreams JSON and HTML for URLs that serve both (ActivityPub §3.2).</summary>
public static class ContentNegotiation
{
    public const string ActivityJson = "application/activity+json";
    public const string LdJsonActivityStreams = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    /// <summary>
    /// True when the client asks for ActivityStreams (<c>application/activity+json</c>, <c>application/ld+json</c>, or plain
    /// <c>application/json</c>) with a quality at least that of any HTML it accepts. No Accept header means a federation client.
    /// </summary>
    public static bool WantsActivityStreams(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.OfType<string>().ToList(), out var types))
        {
            return false;
        }

        double asQuality = -1, htmlQuality = -1;
        foreach (var t in types)
        {
            var media = t.MediaType.Value?.ToLowerInvariant();
            var q = t.Quality ?? 1.0;
            if (media is "application/activity+json" or "application/ld+json" or "application/json")
            {
                asQuality = Math.Max(asQuality, q);
            }
            else if (media is "text/html" or "application/xhtml+xml")
            {
                htmlQuality = Math.Max(htmlQuality, q);
            }
        }

        return asQuality > 0 && asQuality >= htmlQuality;
    }

    /// <summary>
    /// True for a response Content-Type that is an ActivityPub document (ActivityPub §3.2): <c>application/activity+json</c>,
    /// or <c>application/ld+json</c> whose <c>profile</c> (a space-separated list) names the ActivityStreams vocabulary.
    /// Media types and parameter names compare case-insensitively; the profile URI exactly. Mastodon refuses anything else
    /// since its fix of CVE-2024-23832, so a file a server merely hosts (an upload) is never taken for one of its actors.
    /// </summary>
    public static bool IsActivityStreamsMediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        if (parsed.MediaType.Equals(ActivityJson, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return parsed.MediaType.Equals("application/ld+json", StringComparison.OrdinalIgnoreCase)
            && parsed.Parameters.Any(p => p.Name.Equals("profile", StringComparison.OrdinalIgnoreCase)
                && HeaderUtilities.RemoveQuotes(p.Value).ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("https://www.w3.org/ns/activitystreams", StringComparer.Ordinal));
    }
}
