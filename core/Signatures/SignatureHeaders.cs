namespace ServerlessFedi.Signatures;

/// <summary>Header lookup on a <see cref="SignatureRequest"/> and safe echoing of names taken from a request.</summary>
internal static class SignatureHeaders
{
    /// <summary>The value of header <paramref name="name"/> (lower-case); tolerates a dictionary that kept another casing.</summary>
    public static string? Get(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, candidate) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A name or keyId from the request, shortened and stripped to printable ASCII so a reason stays short and safe to echo.</summary>
    public static string Printable(string value, int maxLength = 64)
    {
        var chars = value.Where(c => c is > ' ' and <= '~').Take(maxLength + 1).ToArray();
        return chars.Length > maxLength ? new string(chars, 0, maxLength) + "..." : new string(chars);
    }
}
