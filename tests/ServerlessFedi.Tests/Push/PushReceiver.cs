using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ServerlessFedi.Tests.Push;

/// <summary>
/// The browser's half of Web Push, written for the tests from RFC 8291 §3 and RFC 8188 §2 (HKDF spelled out with HMAC,
/// independent of the server's code): a P-256 key pair and auth secret to subscribe with, and the decryption of what arrives.
/// </summary>
internal sealed class PushReceiver : IDisposable
{
    private readonly ECDiffieHellman _key;

    public PushReceiver(ECDiffieHellman key, byte[] auth)
    {
        _key = key;
        Auth = auth;
        var q = key.ExportParameters(false).Q;
        PublicKey = [4, .. q.X!, .. q.Y!];
    }

    public byte[] PublicKey { get; }

    public byte[] Auth { get; }

    public string P256dhText => B64(PublicKey);

    public string AuthText => B64(Auth);

    public static PushReceiver Create() => new(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(16));

    /// <summary>A receiver with a known private key (RFC 8291's example).</summary>
    public static PushReceiver FromPrivate(byte[] publicKey, byte[] privateKey, byte[] auth) =>
        new(ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = privateKey,
            Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..] },
        }), auth);

    public byte[] Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var senderPublic = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        Assert.IsTrue(ciphertext.Length <= recordSize, "one record");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        var prkKey = HMACSHA256.HashData(Auth, ecdhSecret);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderPublic, 1];
        var ikm = HMACSHA256.HashData(prkKey, keyInfo);
        var prk = HMACSHA256.HashData(salt, ikm);
        byte[] cekInfo = [.. "Content-Encoding: aes128gcm\0"u8, 1];
        byte[] nonceInfo = [.. "Content-Encoding: nonce\0"u8, 1];
        var cek = HMACSHA256.HashData(prk, cekInfo)[..16];
        var nonce = HMACSHA256.HashData(prk, nonceInfo)[..12];

        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        var end = plain.Length - 1;
        while (plain[end] == 0)
        {
            end--;
        }

        Assert.AreEqual(2, plain[end], "the last record's padding delimiter");
        return plain[..end];
    }

    public JsonElement DecryptJson(byte[] body) => JsonDocument.Parse(Decrypt(body)).RootElement.Clone();

    /// <summary>Checks the <c>Authorization: vapid t=..., k=...</c> header (RFC 8292 §3) and answers the JWT's claims.</summary>
    public static JsonElement VerifyVapid(string authorization, string serverKey)
    {
        Assert.IsTrue(authorization.StartsWith("vapid ", StringComparison.Ordinal), authorization);
        var parts = authorization[6..].Split(',', StringSplitOptions.TrimEntries).ToDictionary(p => p[..p.IndexOf('=', StringComparison.Ordinal)], p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.AreEqual(serverKey, parts["k"]);
        var jwt = parts["t"].Split('.');
        var header = JsonDocument.Parse(FromB64(jwt[0])).RootElement;
        Assert.AreEqual("ES256", header.GetProperty("alg").GetString());
        var point = FromB64(serverKey);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        Assert.IsTrue(key.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), FromB64(jwt[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "VAPID JWT signature");
        return JsonDocument.Parse(FromB64(jwt[1])).RootElement.Clone();
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromB64(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    public void Dispose() => _key.Dispose();
}
