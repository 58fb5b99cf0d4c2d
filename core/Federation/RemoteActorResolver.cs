using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// Finds remote actors and their keys: from the cache while fresh, else by a signed GET through the guarded client.
/// A keyId may name the actor (<c>.../users/x#main-key</c>) or a separate key document (<c>.../users/x/main-key</c>,
/// GoToSocial) whose <c>owner</c> is then fetched.
/// </summary>
public sealed class RemoteActorResolver(
    RemoteActorStore store,
    RemoteClient client,
    InstanceActorSigner signer,
    TimeProvider time,
    ILogger<RemoteActorResolver> logger) : IPublicKeyResolver
{
    /// <summary>How long a cached actor is trusted without refetching.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromDays(1);

    public async Task<PublicKeyMaterial?> ResolveAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri))
        {
            return null;
        }

        var cached = await store.GetByKeyIdAsync(keyId, cancellationToken);
        if (cached?.DeletedAt is not null)
        {
            return null; // the actor deleted itself: its key verifies nothing any more, and is not fetched again
        }

        var actor = refresh ? null : cached;
        if (actor is null || time.GetUtcNow() - actor.FetchedAt > CacheLifetime)
        {
            actor = await FetchByKeyIdAsync(keyUri, cancellationToken);
        }

        if (actor is null)
        {
            return null;
        }

        if (actor.KeyId == keyId && actor.PublicKeyPem is not null)
        {
            return new PublicKeyMaterial(keyId, actor.Id, actor.PublicKeyPem, null);
        }

        if (actor.Ed25519KeyId == keyId && actor.Ed25519PublicKey is not null)
        {
            return new PublicKeyMaterial(keyId, actor.Id, null, actor.Ed25519PublicKey);
        }

        return null;
    }

    /// <summary>The actor, from the cache when fresh (or when <paramref name="refresh"/> is false and the fetch fails).</summary>
    public async Task<RemoteActor?> GetActorAsync(string actorId, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        var cached = await store.GetAsync(actorId, cancellationToken);
        if (cached?.DeletedAt is not null)
        {
            return null; // deleted itself (see RemoteActorStore.MarkDeletedAsync); never refetched
        }

        if (cached is not null && !refresh && time.GetUtcNow() - cached.FetchedAt <= CacheLifetime)
        {
            return cached;
        }

        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var uri))
        {
            return null;
        }

        try
        {
            return await FetchActorAsync(uri, cancellationToken) ?? cached;
        }
        catch (RemoteFetchException ex) when (cached is not null && !refresh)
        {
            logger.LogWarning("Refetching {Actor} failed ({Reason}); using the cached copy", actorId, ex.Message);
            return cached;
        }
    }

    private async Task<RemoteActor?> FetchByKeyIdAsync(Uri keyUri, CancellationToken cancellationToken)
    {
        var documentUri = new UriBuilder(keyUri) { Fragment = "" }.Uri;
        var doc = await FetchJsonAsync(documentUri, cancellationToken);
        if (doc is not { } root)
        {
            return null;
        }

        // A key document (type CryptographicKey or with publicKeyPem and an owner): follow the owner.
        if (root.TryGetProperty("publicKeyPem", out _) && ActorDocumentParser.String(root, "owner") is { } owner
            && Uri.TryCreate(owner, UriKind.Absolute, out var ownerUri) && string.Equals(ownerUri.Host, keyUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            return await FetchActorAsync(ownerUri, cancellationToken);
        }

        return await StoreParsedAsync(root, documentUri, cancellationToken);
    }

    private async Task<RemoteActor?> FetchActorAsync(Uri actorUri, CancellationToken cancellationToken)
    {
        var doc = await FetchJsonAsync(actorUri, cancellationToken);
        return doc is { } root ? await StoreParsedAsync(root, actorUri, cancellationToken) : null;
    }

    private async Task<RemoteActor?> StoreParsedAsync(JsonElement root, Uri fetchedFrom, CancellationToken cancellationToken)
    {
        var (actor, error) = ActorDocumentParser.Parse(root, fetchedFrom, time.GetUtcNow());
        if (actor is null)
        {
            logger.LogWarning("Actor document from {Url} refused: {Reason}", fetchedFrom, error);
            return null;
        }

        if ((await store.GetAsync(actor.Id, cancellationToken))?.DeletedAt is not null)
        {
            logger.LogInformation("Actor {Actor} deleted itself; its document is not cached again", actor.Id);
            return null;
        }

        await store.PutAsync(actor, cancellationToken);
        return actor;
    }

    private async Task<JsonElement?> FetchJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(uri, RemoteClient.ActivityStreamsAccept, await signer.GetAsync(cancellationToken), cancellationToken);
        if (response.Status is < 200 or >= 300)
        {
            logger.LogInformation("Fetching {Url} answered {Status}", uri, response.Status);
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            logger.LogWarning("Fetching {Url} returned invalid JSON", uri);
            return null;
        }
    }
}
