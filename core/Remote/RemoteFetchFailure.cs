namespace ServerlessFedi.Remote;

/// <summary>Why <see cref="RemoteClient"/> could not produce a response. HTTP error statuses are not failures: they come back as responses.</summary>
public enum RemoteFetchFailure
{
    /// <summary>Not an absolute URL, a scheme other than https (http only with AllowPrivateNetworks), userinfo, or an unusable redirect target. Permanent.</summary>
    InvalidUrl,

    /// <summary>Every address of the target is in a forbidden range (see <see cref="RemoteAddressPolicy"/>). Permanent.</summary>
    BlockedAddress,

    /// <summary>More redirects than the limit. Permanent.</summary>
    TooManyRedirects,

    /// <summary>The response body (counted after decompression) exceeds the limit. Permanent.</summary>
    BodyTooLarge,

    /// <summary>Connecting or the whole exchange took longer than its limit. Transient.</summary>
    Timeout,

    /// <summary>The host name did not resolve. Transient.</summary>
    DnsFailure,

    /// <summary>The operator suspended the target's domain (<see cref="IRemoteHostPolicy"/>); nothing was sent. Permanent.</summary>
    SuspendedDomain,

    /// <summary>Connection refused or reset, TLS failure, or a malformed HTTP response. Transient.</summary>
    ConnectionFailed,
}
