namespace ServerlessFedi.Signatures;

/// <summary>A remote public key as resolved from its keyId: RSA (SPKI PEM) or Ed25519 (32 raw bytes), and its owner actor id.</summary>
public sealed record PublicKeyMaterial(string KeyId, string OwnerId, string? RsaPublicKeyPem, byte[]? Ed25519PublicKey);
