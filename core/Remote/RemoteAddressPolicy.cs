using System.Net;
using System.Net.Sockets;

namespace ServerlessFedi.Remote;

/// <summary>
/// Which IP addresses a remote fetch may connect to: public unicast only. Checked on every address
/// <see cref="RemoteClient"/> is about to connect to, so DNS rebinding and redirects cannot reach internal services.
/// With AllowPrivateNetworks, 127.0.0.0/8 (and its IPv4-mapped form) is admitted for tests; nothing else changes, not even ::1.
/// </summary>
public static class RemoteAddressPolicy
{
    // IANA IPv4 Special-Purpose Address Registry (RFC 6890 and successors), ranges not globally reachable or not unicast.
    private static readonly AddressRange[] V4Forbidden =
    [
        new("0.0.0.0", 8, "this network 0.0.0.0/8"),
        new("10.0.0.0", 8, "private 10.0.0.0/8"),
        new("100.64.0.0", 10, "shared address space (CGNAT) 100.64.0.0/10"),
        new("127.0.0.0", 8, "loopback 127.0.0.0/8"),
        new("169.254.0.0", 16, "link-local 169.254.0.0/16"),
        new("172.16.0.0", 12, "private 172.16.0.0/12"),
        new("192.0.0.0", 24, "IETF protocol assignments 192.0.0.0/24"),
        new("192.0.2.0", 24, "documentation 192.0.2.0/24"),
        new("192.88.99.0", 24, "6to4 relay anycast 192.88.99.0/24"),
        new("192.168.0.0", 16, "private 192.168.0.0/16"),
        new("198.18.0.0", 15, "benchmarking 198.18.0.0/15"),
        new("198.51.100.0", 24, "documentation 198.51.100.0/24"),
        new("203.0.113.0", 24, "documentation 203.0.113.0/24"),
        new("224.0.0.0", 4, "multicast 224.0.0.0/4"),
        new("240.0.0.0", 4, "reserved and broadcast 240.0.0.0/4"),
    ];

    private static readonly AddressRange V4Loopback = V4Forbidden[3];

    // IANA IPv6 Special-Purpose Address Registry; checked in order, so specific ranges are named before the catch-all.
    private static readonly AddressRange[] V6Forbidden =
    [
        new("::", 128, "unspecified ::"),
        new("::1", 128, "loopback ::1"),
        new("::", 96, "IPv4-compatible ::/96 (deprecated)"),
        new("64:ff9b:1::", 48, "local-use NAT64 64:ff9b:1::/48"),
        new("100::", 64, "discard-only 100::/64"),
        new("2001::", 32, "Teredo 2001::/32"),
        new("2001::", 23, "IETF protocol assignments 2001::/23"),
        new("2001:db8::", 32, "documentation 2001:db8::/32"),
        new("3fff::", 20, "documentation 3fff::/20"),
        new("fc00::", 7, "unique local fc00::/7"),
        new("fe80::", 10, "link-local fe80::/10"),
        new("fec0::", 10, "site-local fec0::/10"),
        new("ff00::", 8, "multicast ff00::/8"),
    ];

    private static readonly AddressRange V6Mapped = new("::ffff:0:0", 96, "IPv4-mapped ::ffff:0:0/96");
    private static readonly AddressRange V6Nat64 = new("64:ff9b::", 96, "NAT64 64:ff9b::/96");
    private static readonly AddressRange V6SixToFour = new("2002::", 16, "6to4 2002::/16");
    private static readonly AddressRange V6GlobalUnicast = new("2000::", 3, "global unicast 2000::/3");

    /// <summary>Whether a connection to <paramref name="address"/> is permitted.</summary>
    public static bool IsAllowed(IPAddress address, bool allowPrivateNetworks) => BlockedRange(address, allowPrivateNetworks) is null;

    /// <summary>Names the forbidden range <paramref name="address"/> falls in, or null when a connection to it is permitted.</summary>
    public static string? BlockedRange(IPAddress address, bool allowPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => CheckV4(bytes, allowPrivateNetworks),
            AddressFamily.InterNetworkV6 => CheckV6(bytes, allowPrivateNetworks),
            _ => "not an IP address",
        };
    }

    private static string? CheckV4(ReadOnlySpan<byte> v4, bool allowLoopback)
    {
        foreach (var range in V4Forbidden)
        {
            if (range.Contains(v4))
            {
                return allowLoopback && ReferenceEquals(range, V4Loopback) ? null : range.Name;
            }
        }

        return null;
    }

    private static string? CheckV6(ReadOnlySpan<byte> v6, bool allowPrivateNetworks)
    {
        // A dual-stack socket connecting to ::ffff:a.b.c.d reaches a.b.c.d itself, so it is judged exactly as that IPv4 address.
        if (V6Mapped.Contains(v6))
        {
            return Embedded(V6Mapped, CheckV4(v6[12..16], allowPrivateNetworks));
        }

        // NAT64 (RFC 6052) and 6to4 (RFC 3056) are forwarded by a gateway to the embedded IPv4 address: that address must be public.
        // The gateway's 127/8 is not our loopback, so AllowPrivateNetworks does not apply to embedded addresses.
        if (V6Nat64.Contains(v6))
        {
            return Embedded(V6Nat64, CheckV4(v6[12..16], allowLoopback: false));
        }

        if (V6SixToFour.Contains(v6))
        {
            return Embedded(V6SixToFour, CheckV4(v6[2..6], allowLoopback: false));
        }

        foreach (var range in V6Forbidden)
        {
            if (range.Contains(v6))
            {
                return range.Name;
            }
        }

        return V6GlobalUnicast.Contains(v6) ? null : "not global unicast (outside 2000::/3)";
    }

    private static string? Embedded(AddressRange outer, string? inner) => inner is null ? null : $"{outer.Name} embedding {inner}";

    private sealed class AddressRange(string network, int prefixLength, string name)
    {
        private readonly byte[] _network = IPAddress.Parse(network).GetAddressBytes();

        public string Name { get; } = name;

        public bool Contains(ReadOnlySpan<byte> address)
        {
            if (address.Length != _network.Length)
            {
                return false;
            }

            var fullBytes = prefixLength / 8;
            if (!address[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
            {
                return false;
            }

            var remainingBits = prefixLength % 8;
            if (remainingBits == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - remainingBits));
            return (address[fullBytes] & mask) == (_network[fullBytes] & mask);
        }
    }

    /// <summary>
    /// The address <paramref name="host"/> names without asking DNS: an IP literal, or loopback for <c>localhost</c> and
    /// <c>*.localhost</c> (RFC 6761 §6.3: never sent to a DNS server), which this policy then refuses unless loopback is
    /// allowed for tests. Null for any other name.
    /// </summary>
    public static IPAddress? FixedAddress(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return literal;
        }

        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
    }

    /// <summary>
    /// Why <see cref="RemoteClient"/> refuses <paramref name="url"/> before connecting (not absolute, not https (nor http when
    /// <paramref name="allowHttp"/>), credentials, a literal address outside this policy), or null; for callers that check a
    /// URL when it is given to them.
    /// </summary>
    public static RemoteFetchException? Refusal(Uri url, bool allowPrivateNetworks, bool allowHttp = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.Host))
        {
            return new RemoteFetchException(RemoteFetchFailure.InvalidUrl, "Remote URLs must be absolute with a host.");
        }

        var schemeAllowed = url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (allowPrivateNetworks || allowHttp));
        if (!schemeAllowed)
        {
            return new RemoteFetchException(RemoteFetchFailure.InvalidUrl, $"Refused {url.Scheme} URL for {url.Host}: only https is allowed.");
        }

        if (url.UserInfo.Length > 0)
        {
            return new RemoteFetchException(RemoteFetchFailure.InvalidUrl, $"Refused URL for {url.Host}: it carries credentials.");
        }

        // Literal addresses are refused before any connection attempt; the connect callback would refuse them too.
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal)
            && BlockedRange(literal, allowPrivateNetworks) is { } range)
        {
            return new RemoteFetchException(RemoteFetchFailure.BlockedAddress, $"Refused {url.Host}: {range}.");
        }

        return null;
    }
}
