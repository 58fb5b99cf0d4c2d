using System.Text;

namespace ServerlessFedi.Signatures;

/// <summary>One labelled RFC 9421 signature: its <c>Signature-Input</c> member (§4.1) and its <c>Signature</c> value (§4.2), if any.</summary>
internal sealed record MessageSignature(string Label, SfInnerList Input, byte[]? Value)
{
    public const int MaxHeaderLength = 8192;

    /// <summary>The labels of <c>Signature-Input</c> in order, or null with the reason when either header is malformed.</summary>
    public static IReadOnlyList<MessageSignature>? Parse(string signatureInput, string signature, out string reason)
    {
        reason = string.Empty;
        if (signatureInput.Length > MaxHeaderLength || signature.Length > MaxHeaderLength)
        {
            reason = "signature header is too long";
            return null;
        }

        if (StructuredFields.ParseDictionary(signatureInput) is not { } inputs)
        {
            reason = "signature-input header is malformed";
            return null;
        }

        if (StructuredFields.ParseDictionary(signature) is not { } values)
        {
            reason = "signature header is malformed";
            return null;
        }

        var result = new List<MessageSignature>();
        foreach (var (label, member) in inputs)
        {
            if (member is not SfInnerList list)
            {
                reason = "signature-input header is malformed";
                return null;
            }

            var value = values.FirstOrDefault(pair => pair.Key == label).Value is SfItem { Value: byte[] bytes } ? bytes : null;
            result.Add(new MessageSignature(label, list, value));
        }

        if (result.Count == 0)
        {
            reason = "signature-input header has no signatures";
            return null;
        }

        return result;
    }

    public object? Parameter(string name) => StructuredFields.Parameter(Input.Parameters, name);

    /// <summary>The covered component names, or null when one is not a plain string (component parameters are not supported).</summary>
    public IReadOnlyList<string>? ComponentNames()
    {
        var names = new List<string>(Input.Items.Count);
        foreach (var item in Input.Items)
        {
            if (item.Value is not string name || item.Parameters.Count > 0)
            {
                return null;
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>The signature base (RFC 9421 §2.5), or null with the reason when a component cannot be derived.</summary>
    public string? BuildSignatureBase(SignatureRequest request, out string reason)
    {
        reason = string.Empty;
        if (ComponentNames() is not { } names)
        {
            reason = "signature covers an unsupported component";
            return null;
        }

        var builder = new StringBuilder();
        foreach (var name in names)
        {
            if (ComponentValue(request, name) is not { } value)
            {
                reason = name.StartsWith('@') || name.Any(char.IsAsciiLetterUpper)
                    ? $"signature covers unsupported component {SignatureHeaders.Printable(name)}"
                    : $"signed header {SignatureHeaders.Printable(name)} is missing";
                return null;
            }

            builder.Append('"').Append(name).Append("\": ").Append(value).Append('\n');
        }

        builder.Append("\"@signature-params\": ").Append(StructuredFields.SerializeInnerList(Input));
        return builder.ToString();
    }

    private static string? ComponentValue(SignatureRequest request, string name)
    {
        var pathAndQuery = request.PathAndQuery;
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart >= 0 ? pathAndQuery[..queryStart] : pathAndQuery;
        return name switch
        {
            // RFC 9421 §2.2: derived components.
            "@method" => request.Method,
            "@target-uri" => request.Scheme.ToLowerInvariant() + "://" + request.Authority.ToLowerInvariant() + pathAndQuery,
            "@authority" => request.Authority.ToLowerInvariant(),
            "@scheme" => request.Scheme.ToLowerInvariant(),
            "@request-target" => pathAndQuery,
            "@path" => path.Length == 0 ? "/" : path,
            "@query" => queryStart >= 0 ? pathAndQuery[queryStart..] : "?",
            _ when name.StartsWith('@') || name.Any(char.IsAsciiLetterUpper) => null,
            // RFC 9421 §2.1: a field's value with leading and trailing whitespace removed.
            _ => SignatureHeaders.Get(request.Headers, name)?.Trim(' ', '\t'),
        };
    }
}
