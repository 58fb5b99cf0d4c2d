namespace ServerlessFedi.Signatures;

/// <summary>A remote public key as resolved from its keyId: RSA (SPKI PEM) or Ed25519 (32 raw bytes), and its owner actor id.</summary>
public sealed record PublicKeyMaterial(string KeyId, string OwnerId, string? RsaPublicKeyPem, byte[]? Ed25519PublicKey)
{
    /// <summary>
    /// Fetched from its server by the lookup that returned it, not taken from the cache: refreshing it cannot find a
    /// rotated key, so a signature it does not verify is refused without fetching it again.
    /// </summary>
    public bool Fetched { get; init; }
}
