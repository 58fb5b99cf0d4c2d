namespace ServerlessFedi.Remote;

/// <summary>Limits of <see cref="RemoteClient"/>; tests shorten them, production uses <see cref="Default"/>.</summary>
/// <param name="ConnectTimeout">Name resolution plus TCP connect (and, on the wall clock, the TLS handshake).</param>
/// <param name="RequestTimeout">The whole exchange of one call, all redirect hops and the body included.</param>
/// <param name="MaxBodyBytes">Response body cap, counted after decompression.</param>
/// <param name="MaxRedirects">Redirects followed before giving up.</param>
internal sealed record RemoteClientLimits(TimeSpan ConnectTimeout, TimeSpan RequestTimeout, int MaxBodyBytes, int MaxRedirects)
{
    public static RemoteClientLimits Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 2 * 1024 * 1024, 3);
}
