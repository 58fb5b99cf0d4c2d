using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Http;

/// <summary>
/// The client address that rate limits and login throttling count by, taken only from what a trusted party reported:
/// Front Door's <c>X-Azure-ClientIP</c> when the request carries this instance's Front Door id in <c>X-Azure-FDID</c>
/// (<see cref="FediOptions.FrontDoorId"/>; anyone can send both headers, only Front Door sends our id), otherwise the
/// connection's peer. Under the Functions host the peer is already the entry the platform's front end appended to
/// <c>X-Forwarded-For</c> (the worker's forwarded-headers middleware trusts only the host on loopback); in the standalone
/// host it is the TCP peer. A client's own <c>X-Forwarded-For</c> entries are never read. IPv6 addresses count by their
/// /64 network (one subscriber's allocation), as Mastodon's rack-attack rules do. Addresses are kept in memory only.
/// </summary>
public sealed class ClientAddress(FediOptions options)
{
    private readonly Guid? _frontDoorId = Guid.TryParse(options?.FrontDoorId, out var id) ? id : null;

    /// <summary>The address key of <paramref name="request"/>: an IPv4 address, an IPv6 /64 prefix, or <c>unknown</c>.</summary>
    public string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_frontDoorId is { } expected
            && Guid.TryParse(request.Headers["X-Azure-FDID"].ToString().Trim(), out var sent) && sent == expected
            && IPAddress.TryParse(request.Headers["X-Azure-ClientIP"].ToString().Trim(), out var client))
        {
            return Key(client);
        }

        return request.HttpContext.Connection.RemoteIpAddress is { } peer ? Key(peer) : "unknown";
    }

    /// <summary>IPv4 (also IPv4-mapped IPv6) as is; other IPv6 addresses as their /64 network.</summary>
    internal static string Key(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }
}
