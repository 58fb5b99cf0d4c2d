namespace ServerlessFedi.Remote;

/// <summary>
/// Tighter limits for one GET than <see cref="RemoteClient"/>'s defaults (a link preview's page or image). Only a response
/// whose media type is one of <see cref="MediaTypes"/> has its body read; any other comes back with an empty body.
/// </summary>
/// <param name="MaxBodyBytes">Body cap, counted after decompression.</param>
/// <param name="Timeout">The whole exchange, every redirect hop and the body included (never longer than the client's own limit).</param>
/// <param name="MediaTypes">Media types whose body is read (<c>text/html</c>; <c>image/*</c> for every image type).</param>
/// <param name="Truncate">Past <paramref name="MaxBodyBytes"/>, keep the first bytes (a page's head) instead of failing.</param>
/// <param name="AllowHttp">
/// Plain http is fetched too, on every hop (a link preview: Mastodon previews http links). Only the scheme changes: the
/// address policy is checked on the address connected to and every redirect is checked again, as for https.
/// </param>
public sealed record RemoteFetchBounds(int MaxBodyBytes, TimeSpan Timeout, IReadOnlyList<string> MediaTypes, bool Truncate, bool AllowHttp = false)
{
    /// <summary>Whether a response of <paramref name="contentType"/> (a Content-Type header value) has its body read.</summary>
    public bool Admits(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';', 2)[0].Trim();
        return MediaTypes.Any(t => t.EndsWith("/*", StringComparison.Ordinal)
            ? mediaType.StartsWith(t[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(t, mediaType, StringComparison.OrdinalIgnoreCase));
    }
}
