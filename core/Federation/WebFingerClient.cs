using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Resolves <c>user@domain</c> to an actor id through the remote server's WebFinger (RFC 7033) and fetches the actor.
/// WebFinger is https; plain http only for loopback hosts when <c>Fedi__AllowPrivateNetworks</c> is set (tests).
/// Costs one GET (plus the actor fetch when not cached).
/// </summary>
public sealed class WebFingerClient(RemoteClient client, RemoteActorResolver actors, FediOptions options, ILogger<WebFingerClient> logger)
{
    public async Task<RemoteActor?> ResolveAsync(string username, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(domain);
        if (username.Length is 0 or > 100 || domain.Length is 0 or > 253 || domain.Contains('/', StringComparison.Ordinal) || domain.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var scheme = options.AllowPrivateNetworks && IsLoopback(domain) ? "http" : "https";
        if (!Uri.TryCreate($"{scheme}://{domain}/.well-known/webfinger?resource={Uri.EscapeDataString($"acct:{username}@{domain}")}", UriKind.Absolute, out var url))
        {
            return null;
        }

        try
        {
            var response = await client.GetAsync(url, "application/jrd+json, application/json", null, cancellationToken);
            if (!response.IsSuccess)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(response.Body);
            if (!doc.RootElement.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.Object && ActorDocumentParser.String(link, "rel") == "self"
                    && ActorDocumentParser.String(link, "type") is { } type
                    && (type.StartsWith("application/activity+json", StringComparison.Ordinal) || type.StartsWith("application/ld+json", StringComparison.Ordinal))
                    && ActorDocumentParser.String(link, "href") is { } href)
                {
                    return await actors.GetActorAsync(href, refresh: false, cancellationToken);
                }
            }
        }
        catch (RemoteFetchException ex)
        {
            logger.LogInformation("WebFinger for {User}@{Domain} failed: {Reason}", username, domain, ex.Message);
        }
        catch (JsonException)
        {
            logger.LogInformation("WebFinger for {User}@{Domain} returned invalid JSON", username, domain);
        }

        return null;
    }

    private static bool IsLoopback(string domain)
    {
        var host = domain.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
