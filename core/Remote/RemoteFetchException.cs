namespace ServerlessFedi.Remote;

/// <summary>A remote request that produced no HTTP response we accept; see <see cref="Reason"/>.</summary>
public sealed class RemoteFetchException : Exception
{
    public RemoteFetchException()
        : this(RemoteFetchFailure.ConnectionFailed, "The remote request failed.")
    {
    }

    public RemoteFetchException(string message)
        : this(RemoteFetchFailure.ConnectionFailed, message)
    {
    }

    public RemoteFetchException(string message, Exception innerException)
        : this(RemoteFetchFailure.ConnectionFailed, message, innerException)
    {
    }

    public RemoteFetchException(RemoteFetchFailure reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public RemoteFetchFailure Reason { get; }

    /// <summary>True when retrying the same URL cannot succeed (refused by policy or limits); false for timeouts, DNS and connection failures.</summary>
    public bool IsPermanent => Reason is RemoteFetchFailure.InvalidUrl or RemoteFetchFailure.BlockedAddress
        or RemoteFetchFailure.TooManyRedirects or RemoteFetchFailure.BodyTooLarge or RemoteFetchFailure.SuspendedDomain;
}
