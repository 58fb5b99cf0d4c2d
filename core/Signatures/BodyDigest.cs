using System.Security.Cryptography;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Checks a body against <c>Digest</c> (RFC 3230, as draft-cavage signers send it) or <c>Content-Digest</c> (RFC 9530).
/// SHA-256 and SHA-512 are checked; other algorithms are ignored, and a header offering none of the two fails.
/// Every offered SHA-256/SHA-512 value must match. Results are rejection reasons, null when the digest matches.
/// </summary>
internal static class BodyDigest
{
    public static string Sha256Base64(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string? CheckDigest(string? header, byte[]? body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "digest header is missing";
        }

        var matched = false;
        foreach (var part in header.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var algorithm = part[..equals].Trim().ToLowerInvariant();
            if (algorithm is not ("sha-256" or "sha-512"))
            {
                continue;
            }

            var received = TryDecodeBase64(part[(equals + 1)..].Trim());
            if (received is null)
            {
                return "digest value is not valid base64";
            }

            if (!Matches(algorithm, received, body))
            {
                return "digest does not match the body";
            }

            matched = true;
        }

        return matched ? null : "digest offers neither SHA-256 nor SHA-512";
    }

    public static string? CheckContentDigest(string? header, byte[]? body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "content-digest header is missing";
        }

        if (StructuredFields.ParseDictionary(header) is not { } members)
        {
            return "content-digest header is malformed";
        }

        var matched = false;
        foreach (var (algorithm, member) in members)
        {
            if (algorithm is not ("sha-256" or "sha-512"))
            {
                continue;
            }

            if (member is not SfItem { Value: byte[] received })
            {
                return "content-digest header is malformed";
            }

            if (!Matches(algorithm, received, body))
            {
                return "content-digest does not match the body";
            }

            matched = true;
        }

        return matched ? null : "content-digest offers neither sha-256 nor sha-512";
    }

    private static bool Matches(string algorithm, byte[] received, byte[]? body)
    {
        var computed = algorithm == "sha-256" ? SHA256.HashData(body ?? []) : SHA512.HashData(body ?? []);
        return CryptographicOperations.FixedTimeEquals(computed, received);
    }

    internal static byte[]? TryDecodeBase64(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var buffer = new byte[value.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}
