using System.Security.Cryptography;
using NSec.Cryptography;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Checks one signature with one key; a key of the wrong type or unusable material is a failed check, never an exception.
/// Imported RSA public keys are shared by the whole process, whatever the lifetime of the verifiers.
/// </summary>
internal static class SignatureCrypto
{
    private static readonly RsaKeyPool RsaKeys = new(maxKeys: 4096);

    public static bool Verify(PublicKeyMaterial key, SignatureAlgorithmKind algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        algorithm switch
        {
            SignatureAlgorithmKind.RsaPkcs1Sha256 => VerifyRsa(key, data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            SignatureAlgorithmKind.RsaPssSha512 => VerifyRsa(key, data, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            SignatureAlgorithmKind.Ed25519 => VerifyEd25519(key, data, signature),
            _ => false,
        };

    private static bool VerifyRsa(PublicKeyMaterial key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        if (key.RsaPublicKeyPem is not { Length: > 0 } pem)
        {
            return false;
        }

        try
        {
            using var lease = RsaKeys.Rent(pem);
            return lease.Key.VerifyData(data, signature, hash, padding);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static bool VerifyEd25519(PublicKeyMaterial key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var ed25519 = SignatureAlgorithm.Ed25519;
        if (key.Ed25519PublicKey is not { Length: 32 } raw || signature.Length != ed25519.SignatureSize)
        {
            return false;
        }

        return PublicKey.TryImport(ed25519, raw, KeyBlobFormat.RawPublicKey, out var publicKey)
            && publicKey is not null
            && ed25519.Verify(publicKey, data, signature);
    }
}
