using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Signs outgoing requests with draft-cavage-http-signatures-12 <c>rsa-sha256</c>, as Mastodon does: <c>(request-target) host date digest</c>
/// with <c>Digest: SHA-256=...</c> when there is a body, <c>(request-target) host date</c> otherwise. Imported keys are pooled per PEM
/// in the instance (importing costs more than signing), so keep one instance per process.
/// </summary>
public sealed class HttpSignatureSigner
{
    private readonly RsaKeyPool _keys = new(maxKeys: 1024);

    /// <summary>
    /// Sets <c>Host</c>, <c>Date</c>, <c>Digest</c> (with a body) and <c>Signature</c> on <paramref name="request"/>, replacing any present.
    /// <paramref name="body"/> must be the exact bytes of the request content; a request other than GET or HEAD is treated as having a
    /// body even when it is null (Mastodon requires a signed digest on every POST).
    /// </summary>
    public void Sign(HttpRequestMessage request, byte[]? body, SigningKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new ArgumentException("The request needs an absolute URI to be signed.", nameof(request));
        }

        if (key.KeyId.Contains('"', StringComparison.Ordinal) || key.KeyId.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("A keyId cannot contain quotes or backslashes.", nameof(key));
        }

        var host = HostOf(uri);
        var date = now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        var target = request.Method.Method.ToLowerInvariant() + " " + uri.PathAndQuery;
        var withBody = body is not null || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head);

        var signingString = new StringBuilder()
            .Append("(request-target): ").Append(target)
            .Append("\nhost: ").Append(host)
            .Append("\ndate: ").Append(date);
        string? digest = null;
        if (withBody)
        {
            digest = "SHA-256=" + BodyDigest.Sha256Base64(body ?? []);
            signingString.Append("\ndigest: ").Append(digest);
        }

        byte[] signature;
        using (var lease = _keys.Rent(key.PrivateKeyPem))
        {
            signature = lease.Key.SignData(Encoding.UTF8.GetBytes(signingString.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var headers = request.Headers;
        headers.Host = host;
        Replace(headers, "Date", date);
        if (digest is not null)
        {
            Replace(headers, "Digest", digest);
        }

        Replace(
            headers,
            "Signature",
            $"keyId=\"{key.KeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date{(digest is null ? string.Empty : " digest")}\",signature=\"{Convert.ToBase64String(signature)}\"");
    }

    /// <summary>The <c>Host</c> a client sends for <paramref name="uri"/>: the ASCII host, and the port unless it is the scheme's default.</summary>
    internal static string HostOf(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost : uri.Host;
        return uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static void Replace(HttpRequestHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }
}
