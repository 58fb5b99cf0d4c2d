using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// Keys from the cache only, however old, and never fetched: what still proves an actor's own <c>Delete</c> once its
/// server answers 410 for the actor (Mastodon verifies such a Delete with the key it stored, too). An actor already
/// marked deleted resolves nothing, and only the actor that owns a key resolves it (<see cref="RemoteActorStore.GetByKeyIdAsync"/>).
/// Storage: 2 point reads.
/// </summary>
public sealed class CachedKeyResolver(RemoteActorStore store) : IPublicKeyResolver
{
    public async Task<PublicKeyMaterial?> ResolveAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var actor = await store.GetByKeyIdAsync(keyId, cancellationToken);
        if (actor is null || actor.DeletedAt is not null)
        {
            return null;
        }

        if (actor.KeyId == keyId && actor.PublicKeyPem is not null)
        {
            return new PublicKeyMaterial(keyId, actor.Id, actor.PublicKeyPem, null);
        }

        return actor.Ed25519KeyId == keyId && actor.Ed25519PublicKey is not null ? new PublicKeyMaterial(keyId, actor.Id, null, actor.Ed25519PublicKey) : null;
    }
}
