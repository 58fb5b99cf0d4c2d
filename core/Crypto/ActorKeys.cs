using System.Security.Cryptography;
using NSec.Cryptography;
using SimpleBase;

namespace ServerlessFedi.Crypto;

/// <summary>
/// An actor's key material: RSA-2048 for HTTP signatures (what every fediverse server verifies) and Ed25519 for
/// FEP-521a <c>assertionMethod</c> / FEP-8b32 object integrity proofs. Private parts stay in the accounts table.
/// </summary>
public sealed record ActorKeys(string RsaPrivateKeyPem, string RsaPublicKeyPem, byte[] Ed25519PrivateKey, byte[] Ed25519PublicKey)
{
    public static ActorKeys Generate()
    {
        using var rsa = RSA.Create(2048);
        var ed = SignatureAlgorithm.Ed25519;
        using var key = Key.Create(ed, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new ActorKeys(
            rsa.ExportPkcs8PrivateKeyPem(),
            rsa.ExportSubjectPublicKeyInfoPem(),
            key.Export(KeyBlobFormat.RawPrivateKey),
            key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>A fresh Ed25519 pair as raw bytes (32-byte private seed, 32-byte public key).</summary>
    public static (byte[] Private, byte[] Public) GenerateEd25519()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return (key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>FEP-521a <c>publicKeyMultibase</c>: <c>z</c> + base58btc(multicodec ed25519-pub <c>0xed 0x01</c> + 32 key bytes).</summary>
    public string Ed25519PublicKeyMultibase => ToMultibase(Ed25519PublicKey);

    public static string ToMultibase(ReadOnlySpan<byte> ed25519PublicKey)
    {
        var buffer = new byte[2 + ed25519PublicKey.Length];
        buffer[0] = 0xed;
        buffer[1] = 0x01;
        ed25519PublicKey.CopyTo(buffer.AsSpan(2));
        return "z" + Base58.Bitcoin.Encode(buffer);
    }
}
