namespace ServerlessFedi.Signatures;

/// <summary>Finds the public key behind a keyId (from a cache, or by fetching the actor). <paramref name="refresh"/> bypasses the cache (key rotation).</summary>
public interface IPublicKeyResolver
{
    Task<PublicKeyMaterial?> ResolveAsync(string keyId, bool refresh, CancellationToken cancellationToken);
}
