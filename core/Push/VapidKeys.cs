using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessFedi.Push;

/// <summary>
/// The instance's VAPID key pair (RFC 8292): a P-256 key whose public half apps pass to the browser as
/// <c>applicationServerKey</c> and whose private half signs the JWT that goes with every push.
/// </summary>
public sealed record VapidKeys(byte[] PublicKey, byte[] PrivateKey)
{
    /// <summary>How long a push's JWT is valid (RFC 8292 §2: no more than 24 hours).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    /// <summary>The public key as apps and the instance documents show it: the uncompressed point in base64url.</summary>
    public string PublicKeyText => Base64Url(PublicKey);

    public static VapidKeys Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(true);
        return new VapidKeys(WebPushEncryption.PublicPoint(parameters), parameters.D!);
    }

    /// <summary>
    /// The <c>Authorization</c> header for a push to <paramref name="endpoint"/> (RFC 8292 §3): <c>vapid t=JWT, k=key</c>,
    /// the JWT's audience the endpoint's origin, <paramref name="subject"/> a contact for the push service's operator.
    /// </summary>
    public string Authorization(Uri endpoint, string subject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var header = Base64Url("""{"typ":"JWT","alg":"ES256"}"""u8.ToArray());
        var claims = new JsonObject
        {
            ["aud"] = endpoint.GetLeftPart(UriPartial.Authority),
            ["exp"] = (now + TokenLifetime).ToUnixTimeSeconds(),
            ["sub"] = subject,
        };
        var signingInput = header + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = PrivateKey,
            Q = new ECPoint { X = PublicKey[1..33], Y = PublicKey[33..] },
        });

        // ES256 (RFC 7518 §3.4): the signature is R || S, which is .NET's IEEE P1363 format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"vapid t={signingInput}.{Base64Url(signature)}, k={PublicKeyText}";
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes base64url or standard base64, padded or not (apps send either for push keys); null when it is neither.</summary>
    public static byte[]? FromBase64(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 1024)
        {
            return null;
        }

        var s = text.Trim().Replace('-', '+').Replace('_', '/').TrimEnd('=');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var written) ? buffer[..written] : null;
    }
}
