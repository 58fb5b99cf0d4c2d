using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Fetches one remote object that an inbound activity only names by id (a <c>Create</c> or <c>Announce</c> whose
/// <c>object</c> is a URL), through the guarded client and signed as the instance actor (authorised-fetch servers refuse
/// unsigned GETs). The document must carry the id asked for and come from that id's origin (after redirects), so a
/// server cannot answer for another's objects. Never follows links inside the object: at most this one GET.
/// </summary>
public sealed class RemoteObjectFetcher(RemoteClient client, InstanceActorSigner signer, ILogger<RemoteObjectFetcher> logger)
{
    /// <summary>
    /// The object, or null when it is gone or refused for good (404, 410, other 4xx, wrong id or origin, not JSON, blocked
    /// by policy). Throws a transient <see cref="RemoteFetchException"/> for failures worth retrying (timeouts, connection
    /// errors, 408, 429, 5xx), which the inbox turns into <c>RetryLater</c>.
    /// </summary>
    public async Task<JsonElement?> FetchAsync(string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        if (!Uri.TryCreate(objectId, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        RemoteResponse response;
        try
        {
            response = await client.GetAsync(uri, RemoteClient.ActivityStreamsAccept, await signer.GetAsync(cancellationToken), cancellationToken);
        }
        catch (RemoteFetchException ex) when (ex.IsPermanent)
        {
            logger.LogInformation("Fetching {Url} refused: {Reason}", objectId, ex.Reason);
            return null;
        }
        if (response.Status is 408 or 429 or >= 500)
        {
            throw new RemoteFetchException(RemoteFetchFailure.ConnectionFailed, $"fetching {objectId} answered {response.Status}; retrying later");
        }

        if (!response.IsSuccess)
        {
            logger.LogInformation("Fetching {Url} answered {Status}; dropped", objectId, response.Status);
            return null;
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            logger.LogWarning("Fetching {Url} returned invalid JSON", objectId);
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object || ActorDocumentParser.String(root, "id") != objectId
            || !ActorDocumentParser.SameOrigin(response.FinalUrl, uri))
        {
            logger.LogWarning("Fetching {Url} returned a document with another id or from another origin ({Final})", objectId, response.FinalUrl);
            return null;
        }

        return root;
    }
}
