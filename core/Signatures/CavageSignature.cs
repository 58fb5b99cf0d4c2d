using System.Globalization;
using System.Text;

namespace ServerlessFedi.Signatures;

/// <summary>The parameters of a draft-cavage-http-signatures-12 <c>Signature</c> header (§2.1), and its signing string (§2.3).</summary>
internal sealed record CavageSignature(
    string KeyId,
    string? Algorithm,
    IReadOnlyList<string> Headers,
    byte[] Signature,
    string? Created,
    string? Expires)
{
    public const int MaxHeaderLength = 8192;
    public const int MaxKeyIdLength = 2048;

    /// <summary>Parses a <c>Signature</c> header value (or an <c>Authorization</c> value without its <c>Signature </c> scheme).</summary>
    public static CavageSignature? Parse(string header, out string reason)
    {
        reason = "signature header is malformed";
        if (header.Length > MaxHeaderLength)
        {
            reason = "signature header is too long";
            return null;
        }

        var parameters = ParseParameters(header);
        if (parameters is null)
        {
            return null;
        }

        if (!parameters.TryGetValue("keyId", out var keyId) || keyId.Length == 0)
        {
            reason = "signature header has no keyId";
            return null;
        }

        if (keyId.Length > MaxKeyIdLength)
        {
            reason = "signature keyId is too long";
            return null;
        }

        if (!parameters.TryGetValue("signature", out var encoded) || encoded.Length == 0)
        {
            reason = "signature header has no signature";
            return null;
        }

        if (BodyDigest.TryDecodeBase64(encoded) is not { } signature)
        {
            reason = "signature is not valid base64";
            return null;
        }

        parameters.TryGetValue("algorithm", out var algorithm);
        algorithm = algorithm?.ToLowerInvariant();

        // draft-cavage-12 §2.1.6 defaults to "(created)", Appendix C.1 to "date" for rsa-sha256; Mastodon applies both by algorithm.
        var headers = parameters.TryGetValue("headers", out var list)
            ? list.ToLowerInvariant().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            : algorithm is null or "hs2019" ? ["(created)"] : ["date"];
        if (headers.Length == 0)
        {
            reason = "signature headers list is empty";
            return null;
        }

        parameters.TryGetValue("created", out var created);
        parameters.TryGetValue("expires", out var expires);
        reason = string.Empty;
        return new CavageSignature(keyId, algorithm, headers, signature, created, expires);
    }

    /// <summary>
    /// The signing string over <paramref name="headers"/> (§2.3), or null with the reason when a signed header is absent.
    /// <c>(request-target)</c> is the lower-cased method and the path with its query unless <paramref name="includeQuery"/> is false.
    /// </summary>
    public static string? BuildSigningString(
        SignatureRequest request,
        IReadOnlyList<string> headers,
        string? created,
        string? expires,
        bool includeQuery,
        out string reason)
    {
        reason = string.Empty;
        var builder = new StringBuilder();
        foreach (var name in headers)
        {
            string? value;
            switch (name)
            {
                case "(request-target)":
                    var target = request.PathAndQuery;
                    if (!includeQuery && target.IndexOf('?', StringComparison.Ordinal) is var query and >= 0)
                    {
                        target = target[..query];
                    }

                    value = request.Method.ToLowerInvariant() + " " + target;
                    break;
                case "(created)":
                    value = created;
                    break;
                case "(expires)":
                    value = expires;
                    break;
                case "host":
                    value = SignatureHeaders.Get(request.Headers, "host") ?? request.Authority;
                    break;
                default:
                    value = SignatureHeaders.Get(request.Headers, name);
                    break;
            }

            if (value is null)
            {
                reason = $"signed header {SignatureHeaders.Printable(name)} is missing";
                return null;
            }

            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(name).Append(": ").Append(value.Trim());
        }

        return builder.ToString();
    }

    /// <summary>Seconds since the epoch as draft-cavage-12 §2.1.4/§2.1.5 allow them (an integer, or a decimal for expires).</summary>
    public static DateTimeOffset? ParseUnixTime(string? value)
    {
        if (value is null
            || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253402300799m)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }

    private static Dictionary<string, string>? ParseParameters(string header)
    {
        // auth-param list (RFC 7235 §2.1): name "=" ( token / quoted-string ), separated by commas with optional whitespace.
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (true)
        {
            SkipWhitespace(header, ref position);
            var nameStart = position;
            while (position < header.Length && char.IsAsciiLetterOrDigit(header[position]))
            {
                position++;
            }

            if (position == nameStart)
            {
                return null;
            }

            var name = header[nameStart..position];
            SkipWhitespace(header, ref position);
            if (position >= header.Length || header[position] != '=')
            {
                return null;
            }

            position++;
            SkipWhitespace(header, ref position);
            string value;
            if (position < header.Length && header[position] == '"')
            {
                position++;
                var builder = new StringBuilder();
                while (true)
                {
                    if (position >= header.Length)
                    {
                        return null;
                    }

                    var c = header[position++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (position >= header.Length)
                        {
                            return null;
                        }

                        c = header[position++];
                    }

                    builder.Append(c);
                }

                value = builder.ToString();
            }
            else
            {
                var valueStart = position;
                while (position < header.Length && header[position] is not (',' or ' ' or '\t' or '"'))
                {
                    position++;
                }

                value = header[valueStart..position];
                if (value.Length == 0)
                {
                    return null;
                }
            }

            if (!parameters.TryAdd(name, value))
            {
                return null;
            }

            SkipWhitespace(header, ref position);
            if (position >= header.Length)
            {
                return parameters;
            }

            if (header[position] != ',')
            {
                return null;
            }

            position++;
        }
    }

    private static void SkipWhitespace(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t')
        {
            position++;
        }
    }
}
