using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Moderation;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// Finds remote actors and their keys: from the cache while fresh, else by a signed GET through
/// <see cref="RemoteObjectFetcher.RetrieveAsync"/>, which keeps only documents their own origin serves.
/// A keyId may name the actor (<c>.../users/x#main-key</c>) or a separate key document (<c>.../users/x/main-key</c>,
/// GoToSocial) whose <c>owner</c> on the same origin is then fetched; either way the key counts only when the actor's own
/// document lists it and it is on the actor's origin (<see cref="RemoteActor.OwnsKey"/>).
/// Suspended actors and servers (<see cref="ModerationPolicy"/>) are not found; a key on a suspended server, or of a
/// suspended actor, throws <see cref="RemoteFetchFailure.SuspendedDomain"/> before any fetch or cache read, which the
/// inbox answers with 403 as Mastodon does (its <c>SignatureVerification</c> checks the keyId's domain first).
/// </summary>
public sealed class RemoteActorResolver(
    RemoteActorStore store,
    RemoteObjectFetcher documents,
    TimeProvider time,
    ILogger<RemoteActorResolver> logger,
    ModerationPolicy moderation) : IPublicKeyResolver
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

        var rules = await moderation.CurrentAsync(cancellationToken);
        if (rules.SuspendsServerOf(keyUri))
        {
            throw new RemoteFetchException(RemoteFetchFailure.SuspendedDomain, $"The operator suspended {keyUri.IdnHost}.");
        }

        var cached = refresh ? await store.GetByKeyIdAsync(keyId, cancellationToken) : await store.GetByKeyIdRecentAsync(keyId, cancellationToken);
        if (cached?.DeletedAt is not null)
        {
            return null; // the actor deleted itself: its key verifies nothing any more, and is not fetched again
        }

        var actor = refresh ? null : cached;
        var fetched = false;
        if (actor is null || time.GetUtcNow() - actor.FetchedAt > CacheLifetime)
        {
            actor = await FetchByKeyIdAsync(keyUri, firstMet: cached is null, cancellationToken);
            fetched = true;
        }

        if (actor is null || !actor.OwnsKey(keyId))
        {
            return null;
        }

        if (rules.Suspends(actor.Id))
        {
            throw new RemoteFetchException(RemoteFetchFailure.SuspendedDomain, $"The operator suspended {actor.Id}.");
        }

        if (actor.KeyId == keyId && actor.PublicKeyPem is not null)
        {
            return new PublicKeyMaterial(keyId, actor.Id, actor.PublicKeyPem, null) { Fetched = fetched };
        }

        if (actor.Ed25519KeyId == keyId && actor.Ed25519PublicKey is not null)
        {
            return new PublicKeyMaterial(keyId, actor.Id, null, actor.Ed25519PublicKey) { Fetched = fetched };
        }

        return null;
    }

    /// <summary>
    /// The actor whose id is <paramref name="actorId"/>, from the cache when fresh (or when <paramref name="refresh"/> is false
    /// and the fetch fails). The document fetched must carry exactly this id (as Mastodon requires of a known id): a
    /// document at this URL naming another actor yields nothing, so an activity's actor is never taken for someone else.
    /// </summary>
    public async Task<RemoteActor?> GetActorAsync(string actorId, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        if ((await moderation.CurrentAsync(cancellationToken)).Suspends(actorId))
        {
            return null;
        }

        var cached = refresh ? await store.GetAsync(actorId, cancellationToken) : await store.GetRecentAsync(actorId, cancellationToken);
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
            return await FetchActorAsync(uri, idKnown: true, firstMet: cached is null, cancellationToken) ?? cached;
        }
        catch (RemoteFetchException ex) when (cached is not null && !refresh)
        {
            logger.LogWarning("Refetching {Actor} failed ({Reason}); using the cached copy", actorId, ex.Message);
            return cached;
        }
    }

    /// <summary>
    /// The actor a URL leads to, for a search by URL: the cached actor with that id when fresh, else the document fetched
    /// from it, which may name another id (a profile page URL serving the actor): the copy at that id, served by its own
    /// origin, is then the one taken. Null for a deleted actor.
    /// </summary>
    public async Task<RemoteActor?> LookupAsync(string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var cached = await store.GetAsync(url, cancellationToken);
        if (cached is not null)
        {
            return await GetActorAsync(url, refresh: false, cancellationToken);
        }

        var found = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? await FetchActorAsync(uri, idKnown: false, firstMet: false, cancellationToken) : null;
        return found is not null && (await moderation.CurrentAsync(cancellationToken)).Suspends(found.Id) ? null : found;
    }

    private async Task<RemoteActor?> FetchByKeyIdAsync(Uri keyUri, bool firstMet, CancellationToken cancellationToken)
    {
        var documentUri = new UriBuilder(keyUri) { Fragment = "" }.Uri;
        if (await FetchJsonAsync(documentUri, idKnown: false, cancellationToken) is not (var root, var id))
        {
            return null;
        }

        // A key document (type CryptographicKey or with publicKeyPem and an owner): follow an owner on the key's origin,
        // whose own document must then list the key (the caller checks).
        if (root.TryGetProperty("publicKeyPem", out _) && ActorDocumentParser.String(root, "owner") is { } owner
            && Uri.TryCreate(owner, UriKind.Absolute, out var ownerUri) && ActorDocumentParser.SameOrigin(ownerUri, keyUri))
        {
            return await FetchActorAsync(ownerUri, idKnown: true, firstMet, cancellationToken);
        }

        return await StoreParsedAsync(root, id, firstMet, cancellationToken);
    }

    private async Task<RemoteActor?> FetchActorAsync(Uri actorUri, bool idKnown, bool firstMet, CancellationToken cancellationToken) =>
        await FetchJsonAsync(actorUri, idKnown, cancellationToken) is (var root, var id) ? await StoreParsedAsync(root, id, firstMet, cancellationToken) : null;

    /// <summary>
    /// Parses and caches an actor document; <paramref name="id"/> is its id, whose origin served it. <paramref name="firstMet"/>:
    /// the caller's cache read found no row (by key or by id), so the row is inserted without reading it first.
    /// </summary>
    private async Task<RemoteActor?> StoreParsedAsync(JsonElement root, Uri id, bool firstMet, CancellationToken cancellationToken)
    {
        var (actor, error) = ActorDocumentParser.Parse(root, id, time.GetUtcNow());
        if (actor is null)
        {
            logger.LogWarning("Actor document from {Url} refused: {Reason}", id, error);
            return null;
        }

        if (!await store.PutUnlessDeletedAsync(actor, firstMet, cancellationToken))
        {
            logger.LogInformation("Actor {Actor} deleted itself; its document is not cached again", actor.Id);
            return null;
        }

        return actor;
    }

    /// <summary>The document at <paramref name="uri"/> and its id, when its origin vouches for it; null otherwise (logged by the fetcher).</summary>
    private async Task<(JsonElement Document, Uri Id)?> FetchJsonAsync(Uri uri, bool idKnown, CancellationToken cancellationToken)
    {
        var fetched = await documents.RetrieveAsync(uri, idKnown, cancellationToken);
        return fetched.Document is { } document && ActorDocumentParser.String(document, "id") is { } id && Uri.TryCreate(id, UriKind.Absolute, out var idUri)
            ? (document, idUri)
            : null;
    }
}
