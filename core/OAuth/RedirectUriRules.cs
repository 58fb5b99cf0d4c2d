namespace ServerlessFedi.OAuth;

/// <summary>
/// Which redirect URIs an application may register (RFC 6749 §3.1.2: absolute, no fragment; RFC 8252 §7.1: private-use
/// schemes for native apps; <c>urn:ietf:wg:oauth:2.0:oob</c> for copy-and-paste), and how a code is appended to one.
/// </summary>
public static class RedirectUriRules
{
    public const int MaxLength = 2000;

    private static readonly HashSet<string> RefusedSchemes = new(StringComparer.OrdinalIgnoreCase) { "javascript", "data", "vbscript", "file", "blob", "about", "filesystem" };

    /// <summary>Null when the URI may be registered; otherwise the reason.</summary>
    public static string? Check(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri == OAuthApplicationStore.OutOfBand)
        {
            return null;
        }

        if (uri.Length > MaxLength)
        {
            return $"redirect URI is too long: at most {MaxLength} characters";
        }

        if (uri.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "redirect URI must not contain whitespace";
        }

        if (uri.Contains('#', StringComparison.Ordinal))
        {
            return "redirect URI must not contain a fragment";
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.IsFile || uri.StartsWith("//", StringComparison.Ordinal))
        {
            return "redirect URI must be an absolute URI";
        }

        if (RefusedSchemes.Contains(parsed.Scheme))
        {
            return $"redirect URI scheme '{parsed.Scheme}' is not allowed";
        }

        if (parsed.Scheme is "http" or "https" && string.IsNullOrEmpty(parsed.Host))
        {
            return "redirect URI must name a host";
        }

        return null;
    }

    /// <summary>The redirect URI with <paramref name="parameters"/> added to its query (RFC 6749 §4.1.2), each value percent-encoded.</summary>
    public static string AppendQuery(string redirectUri, IEnumerable<(string Name, string? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentNullException.ThrowIfNull(parameters);
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
        var separator = !redirectUri.Contains('?', StringComparison.Ordinal) ? "?" : redirectUri.EndsWith('?') || redirectUri.EndsWith('&') ? "" : "&";
        return redirectUri + separator + query;
    }

    /// <summary>
    /// The CSP <c>form-action</c> source that lets the login form's redirect reach this URI (browsers apply form-action to
    /// redirects after a submission); null for the out-of-band URI or anything that would not be a safe source expression.
    /// </summary>
    public static string? FormActionSource(string redirectUri)
    {
        if (redirectUri == OAuthApplicationStore.OutOfBand || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var source = uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
        return source.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '.' or '-' or '+' or '[' or ']') ? source : null;
    }
}
