namespace ServerlessFedi.Remote;

/// <summary>Servers <see cref="RemoteClient"/> must not talk to whatever their address (the operator's suspended domains).</summary>
public interface IRemoteHostPolicy
{
    /// <summary>Throws <see cref="RemoteFetchException"/> (<see cref="RemoteFetchFailure.SuspendedDomain"/>) when <paramref name="url"/>'s server is refused.</summary>
    ValueTask CheckAsync(Uri url, CancellationToken cancellationToken);
}
