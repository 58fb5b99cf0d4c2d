using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Http;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Fetches remote ActivityStreams documents (actors, keys, and objects an inbound activity only names by id) through the
/// guarded client, signed as the instance actor (authorised-fetch servers refuse unsigned GETs), and trusts a document
/// only as its own origin serves it (<see cref="RetrieveAsync"/>). Never follows links inside a document but its own id.
/// </summary>
public sealed class RemoteObjectFetcher(RemoteClient client, InstanceActorSigner signer, ILogger<RemoteObjectFetcher> logger)
{
    /// <summary>
    /// The object an activity names by <paramref name="objectId"/> (its id is known: the document must carry it), or null
    /// when it is gone or refused for good (404, 410, other 4xx, refused by <see cref="RetrieveAsync"/>, blocked by policy).
    /// Throws a transient <see cref="RemoteFetchException"/> for failures worth retrying (timeouts, connection errors,
    /// 408, 429, 5xx), which the inbox turns into <c>RetryLater</c>. One GET.
    /// </summary>
    public async Task<JsonElement?> FetchAsync(string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        if (!Uri.TryCreate(objectId, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        RemoteDocument fetched;
        try
        {
            fetched = await RetrieveAsync(uri, idKnown: true, cancellationToken);
        }
        catch (RemoteFetchException ex) when (ex.IsPermanent)
        {
            logger.LogInformation("Fetching {Url} refused: {Reason}", objectId, ex.Reason);
            return null;
        }
        if (fetched.IsTransient)
        {
            throw new RemoteFetchException(RemoteFetchFailure.ConnectionFailed, $"fetching {objectId} answered {fetched.Status}; retrying later");
        }

        return fetched.Document;
    }

    /// <summary>
    /// GETs <paramref name="url"/> and keeps the document only when its origin vouches for it (ActivityPub §3.2; the checks
    /// Mastodon added for CVE-2024-23832): a 2xx response with an ActivityPub media type
    /// (<see cref="ContentNegotiation.IsActivityStreamsMediaType"/>), a JSON object whose <c>id</c> is the URL asked for,
    /// served (after redirects) from that URL's origin. A document with another <c>id</c> is not believed: when the id was
    /// not known (<paramref name="idKnown"/> false: a keyId's document, a URL to look up) it is fetched again from its
    /// <c>id</c>, and only that copy, naming itself and served from its own origin, is returned; when it was known (an
    /// activity's actor or object, a WebFinger link, a Move target) the document is refused, as Mastodon refuses it. So an
    /// upload, an open redirect or another server cannot speak for an origin. One GET, two when an unknown id differs.
    /// </summary>
    /// <exception cref="RemoteFetchException">No response (see <see cref="RemoteClient"/>).</exception>
    public async Task<RemoteDocument> RetrieveAsync(Uri url, bool idKnown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (first, firstFinal) = await GetOnceAsync(url, cancellationToken);
        if (first.Document is not { } document)
        {
            return first;
        }

        var id = IdOf(document);
        if (id is not null && SameUrl(id, url) && ActorDocumentParser.SameOrigin(firstFinal, url))
        {
            return first;
        }

        if (id is null || SameUrl(id, url) || idKnown)
        {
            return Refuse(first.Status, url, id is null ? "the document has no absolute http(s) id"
                : SameUrl(id, url) ? $"a redirect brought it from another origin ({firstFinal.Host})"
                : $"it names another id ({id})");
        }

        var (second, secondFinal) = await GetOnceAsync(id, cancellationToken);
        if (second.Document is not { } own)
        {
            return second;
        }

        return IdOf(own) is { } ownId && SameUrl(ownId, id) && ActorDocumentParser.SameOrigin(secondFinal, id)
            ? second
            : Refuse(second.Status, id, "the document at its id names another id or came from another origin");
    }

    private async Task<(RemoteDocument Document, Uri FinalUrl)> GetOnceAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(url, RemoteClient.ActivityStreamsAccept, await signer.GetAsync(cancellationToken), cancellationToken);
        if (!response.IsSuccess)
        {
            logger.LogInformation("Fetching {Url} answered {Status}", url, response.Status);
            return (new RemoteDocument(response.Status, null, $"answered {response.Status}"), response.FinalUrl);
        }

        if (!ContentNegotiation.IsActivityStreamsMediaType(response.ContentType))
        {
            return (Refuse(response.Status, url, $"its media type is not ActivityPub's ({response.ContentType})"), response.FinalUrl);
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? (new RemoteDocument(response.Status, doc.RootElement.Clone(), null), response.FinalUrl)
                : (Refuse(response.Status, url, "not a JSON object"), response.FinalUrl);
        }
        catch (JsonException)
        {
            return (Refuse(response.Status, url, "invalid JSON"), response.FinalUrl);
        }
    }

    private RemoteDocument Refuse(int status, Uri url, string reason)
    {
        logger.LogWarning("Document from {Url} refused: {Reason}", url, reason);
        return new RemoteDocument(status, null, reason);
    }

    private static Uri? IdOf(JsonElement document) =>
        document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
        && Uri.TryCreate(id.GetString(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    /// <summary>The same URL, fragment included (host case and default port are normalised by <see cref="Uri"/>).</summary>
    private static bool SameUrl(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;
}
