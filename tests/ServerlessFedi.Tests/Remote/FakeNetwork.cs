using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ServerlessFedi.Tests.Remote;

/// <summary>
/// The resolver and connector seams of <see cref="ServerlessFedi.Remote.RemoteClient"/> for tests. Names resolve from a table;
/// connections to 127.0.0.0/8 open real sockets, and any other endpoint is only recorded and refused, so no test ever
/// sends a packet off this machine.
/// </summary>
internal sealed class FakeNetwork
{
    private readonly Dictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Resolved { get; } = new();

    public ConcurrentQueue<IPEndPoint> Connections { get; } = new();

    /// <summary>When set, a connection attempt to a non-loopback endpoint waits for cancellation instead of being refused.</summary>
    public bool HangOnNonLoopback { get; set; }

    public TaskCompletionSource ConnectStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeNetwork Map(string host, params string[] addresses)
    {
        _names[host] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        Resolved.Enqueue(host);
        return _names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }

    public async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        Connections.Enqueue(endpoint);
        ConnectStarted.TrySetResult();
        var isLocalV4Loopback = endpoint.AddressFamily == AddressFamily.InterNetwork && endpoint.Address.GetAddressBytes()[0] == 127;
        if (!isLocalV4Loopback)
        {
            if (HangOnNonLoopback)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
