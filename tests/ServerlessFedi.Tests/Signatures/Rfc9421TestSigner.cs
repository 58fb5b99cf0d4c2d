using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>
/// A deliberately small RFC 9421 signer, written apart from the verifier's code, so round trips test one implementation against another.
/// Covers plain components only; the base is built as §2.5 shows it, parameters in the order created, expires, keyid, alg.
/// </summary>
internal static class Rfc9421TestSigner
{
    public static SignatureRequest Sign(
        SignatureRequest request,
        string label,
        IReadOnlyList<string> components,
        string keyId,
        long created,
        string? alg,
        Func<byte[], byte[]> sign,
        long? expires = null)
    {
        var parameters = new StringBuilder("(")
            .AppendJoin(' ', components.Select(component => '"' + component + '"'))
            .Append(')')
            .Append(CultureInfo.InvariantCulture, $";created={created}");
        if (expires is not null)
        {
            parameters.Append(CultureInfo.InvariantCulture, $";expires={expires}");
        }

        parameters.Append(CultureInfo.InvariantCulture, $";keyid=\"{keyId}\"");
        if (alg is not null)
        {
            parameters.Append(CultureInfo.InvariantCulture, $";alg=\"{alg}\"");
        }

        var signatureBase = new StringBuilder();
        foreach (var component in components)
        {
            signatureBase.Append('"').Append(component).Append("\": ").Append(ValueOf(request, component)).Append('\n');
        }

        signatureBase.Append("\"@signature-params\": ").Append(parameters);
        var signature = Convert.ToBase64String(sign(Encoding.UTF8.GetBytes(signatureBase.ToString())));

        // A second label is appended to the dictionaries already present.
        var input = request.Headers.GetValueOrDefault("signature-input");
        var value = request.Headers.GetValueOrDefault("signature");
        return request
            .WithHeader("signature-input", (input is null ? string.Empty : input + ", ") + label + "=" + parameters)
            .WithHeader("signature", (value is null ? string.Empty : value + ", ") + label + "=:" + signature + ":");
    }

    public static Func<byte[], byte[]> Ed25519(byte[] rawPrivateKey) => data =>
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, rawPrivateKey, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    };

    public static Func<byte[], byte[]> RsaPkcs1Sha256(string privateKeyPem) => data =>
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    };

    public static string ContentDigest(byte[] body) => "sha-256=:" + Convert.ToBase64String(SHA256.HashData(body)) + ":";

    private static string ValueOf(SignatureRequest request, string component)
    {
        var query = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return component switch
        {
            "@method" => request.Method,
            "@authority" => request.Authority,
            "@target-uri" => "https://" + request.Authority + request.PathAndQuery,
            "@path" => query < 0 ? request.PathAndQuery : request.PathAndQuery[..query],
            "@query" => query < 0 ? "?" : request.PathAndQuery[query..],
            _ => request.Headers[component],
        };
    }
}
