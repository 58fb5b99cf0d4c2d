namespace ServerlessFedi.Remote;

/// <summary>Servers <see cref="RemoteClient"/> must not talk to whatever their address (the operator's suspended domains).</summary>
public interface IRemoteHostPolicy
{
    ValueTask<bool> RefusesAsync(Uri url, CancellationToken cancellationToken);
}
