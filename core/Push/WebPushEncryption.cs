using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.Push;

/// <summary>
/// Message encryption for Web Push (RFC 8291) in the <c>aes128gcm</c> content coding (RFC 8188): an ephemeral P-256 key
/// agreed with the subscription's <c>p256dh</c> key, mixed with its 16-byte <c>auth</c> secret, one record of at most
/// <see cref="RecordSize"/> bytes. The body is the RFC 8188 header (salt, record size, the ephemeral public key as key id)
/// followed by the ciphertext.
/// </summary>
public static class WebPushEncryption
{
    /// <summary>The record size written in the header; one record carries the whole message (RFC 8291 §4).</summary>
    public const int RecordSize = 4096;

    /// <summary>The longest plaintext one record holds: the record less the 16-byte tag and the padding delimiter.</summary>
    public const int MaxPlaintext = RecordSize - 16 - 1;

    private const int SaltSize = 16;
    private const int PointSize = 65;

    /// <summary>Encrypts <paramref name="plaintext"/> for the user agent's <paramref name="uaPublic"/> key and <paramref name="authSecret"/>.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return Encrypt(plaintext, uaPublic, authSecret, ephemeral, RandomNumberGenerator.GetBytes(SaltSize));
    }

    /// <summary>As <see cref="Encrypt(ReadOnlySpan{byte}, byte[], byte[])"/> with a given ephemeral key and salt (RFC 8291 §5's example fixes both).</summary>
    internal static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret, ECDiffieHellman ephemeral, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(uaPublic);
        ArgumentNullException.ThrowIfNull(authSecret);
        ArgumentNullException.ThrowIfNull(ephemeral);
        ArgumentNullException.ThrowIfNull(salt);
        if (plaintext.Length > MaxPlaintext)
        {
            throw new ArgumentException($"A push message holds at most {MaxPlaintext} bytes.", nameof(plaintext));
        }

        var asPublic = PublicPoint(ephemeral.ExportParameters(false));
        using var ua = ImportPoint(uaPublic) ?? throw new ArgumentException("The p256dh key is not a P-256 point.", nameof(uaPublic));
        var ecdhSecret = ephemeral.DeriveRawSecretAgreement(ua.PublicKey);

        // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32).
        var keyInfo = Concat(Encoding.ASCII.GetBytes("WebPush: info\0"), uaPublic, asPublic);
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, authSecret, keyInfo);

        // RFC 8188 §2.2 and §2.3: the content encryption key and the nonce of the first (only) record.
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));

        var headerSize = SaltSize + 4 + 1 + PointSize;
        var body = new byte[headerSize + plaintext.Length + 1 + 16];
        salt.CopyTo(body, 0);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(SaltSize, 4), RecordSize);
        body[SaltSize + 4] = PointSize;
        asPublic.CopyTo(body, SaltSize + 5);

        // The last record ends its plaintext with the delimiter 0x02 (RFC 8188 §2); no further padding.
        var padded = new byte[plaintext.Length + 1];
        plaintext.CopyTo(padded);
        padded[^1] = 2;
        using var aes = new AesGcm(cek, 16);
        aes.Encrypt(nonce, padded, body.AsSpan(headerSize, padded.Length), body.AsSpan(headerSize + padded.Length, 16));
        return body;
    }

    /// <summary>Whether <paramref name="point"/> is an uncompressed P-256 public key (65 bytes, 0x04, on the curve).</summary>
    public static bool IsP256Point(byte[] point)
    {
        using var key = ImportPoint(point);
        return key is not null;
    }

    /// <summary>The uncompressed point of a P-256 public key: 0x04 || X || Y.</summary>
    public static byte[] PublicPoint(ECParameters parameters) => Concat([4], parameters.Q.X!, parameters.Q.Y!);

    private static ECDiffieHellman? ImportPoint(byte[]? point)
    {
        if (point is not { Length: PointSize } || point[0] != 4)
        {
            return null;
        }

        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
