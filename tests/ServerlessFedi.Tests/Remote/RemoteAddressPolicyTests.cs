using System.Net;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Tests.Remote;

[TestClass]
public sealed class RemoteAddressPolicyTests
{
    [TestMethod]
    // Public unicast.
    [DataRow("93.184.216.34", true, true)]
    [DataRow("8.8.8.8", true, true)]
    [DataRow("1.1.1.1", true, true)]
    // Range edges stay public just outside forbidden blocks.
    [DataRow("100.63.255.255", true, true)]
    [DataRow("100.128.0.0", true, true)]
    [DataRow("172.15.255.255", true, true)]
    [DataRow("172.32.0.0", true, true)]
    [DataRow("198.17.255.255", true, true)]
    [DataRow("198.20.0.0", true, true)]
    [DataRow("223.255.255.255", true, true)]
    // Loopback: the only range AllowPrivateNetworks admits.
    [DataRow("127.0.0.1", false, true)]
    [DataRow("127.255.255.254", false, true)]
    // Never admitted.
    [DataRow("0.0.0.0", false, false)]
    [DataRow("0.1.2.3", false, false)]
    [DataRow("10.0.0.1", false, false)]
    [DataRow("10.255.255.255", false, false)]
    [DataRow("100.64.0.1", false, false)]
    [DataRow("100.127.255.255", false, false)]
    [DataRow("169.254.169.254", false, false)]
    [DataRow("172.16.0.1", false, false)]
    [DataRow("172.31.255.255", false, false)]
    [DataRow("192.0.0.8", false, false)]
    [DataRow("192.0.2.1", false, false)]
    [DataRow("192.88.99.1", false, false)]
    [DataRow("192.168.1.1", false, false)]
    [DataRow("198.18.0.1", false, false)]
    [DataRow("198.19.255.255", false, false)]
    [DataRow("198.51.100.7", false, false)]
    [DataRow("203.0.113.9", false, false)]
    [DataRow("224.0.0.1", false, false)]
    [DataRow("239.255.255.250", false, false)]
    [DataRow("240.0.0.1", false, false)]
    [DataRow("255.255.255.255", false, false)]
    public void IPv4_addresses_are_judged_by_range(string address, bool allowedStrict, bool allowedWithPrivateNetworks)
    {
        AssertVerdicts(address, allowedStrict, allowedWithPrivateNetworks);
    }

    [TestMethod]
    // Public unicast, also through translation mechanisms that embed a public IPv4 address.
    [DataRow("2606:4700:4700::1111", true, true)]
    [DataRow("2a00:1450:4001:82a::200e", true, true)]
    [DataRow("::ffff:8.8.8.8", true, true)]
    [DataRow("64:ff9b::8.8.8.8", true, true)]
    [DataRow("2002:808:808::1", true, true)]
    // IPv4-mapped is the IPv4 address itself, so mapped loopback flips like 127/8.
    [DataRow("::ffff:127.0.0.1", false, true)]
    [DataRow("::ffff:10.0.0.1", false, false)]
    [DataRow("::ffff:169.254.169.254", false, false)]
    [DataRow("::ffff:192.168.0.1", false, false)]
    // NAT64 and 6to4 embedding a forbidden IPv4 address; the embedded 127/8 is the gateway's, never ours.
    [DataRow("64:ff9b::10.0.0.1", false, false)]
    [DataRow("64:ff9b::a9fe:a9fe", false, false)]
    [DataRow("64:ff9b::127.0.0.1", false, false)]
    [DataRow("2002:7f00:1::1", false, false)]
    [DataRow("2002:a9fe:a9fe::1", false, false)]
    [DataRow("2002:c0a8:101::1", false, false)]
    // Never admitted, ::1 included: the issue admits 127.0.0.0/8 only.
    [DataRow("::", false, false)]
    [DataRow("::1", false, false)]
    [DataRow("::127.0.0.1", false, false)]
    [DataRow("::8.8.8.8", false, false)]
    [DataRow("::ffff:0:a00:1", false, false)]
    [DataRow("64:ff9b:1::1", false, false)]
    [DataRow("100::1", false, false)]
    [DataRow("2001::1", false, false)]
    [DataRow("2001:0:4136:e378:8000:63bf:3fff:fdd2", false, false)]
    [DataRow("2001:2::1", false, false)]
    [DataRow("2001:db8::1", false, false)]
    [DataRow("3fff::1", false, false)]
    [DataRow("fc00::1", false, false)]
    [DataRow("fd12:3456:789a::1", false, false)]
    [DataRow("fe80::1", false, false)]
    [DataRow("febf:ffff::1", false, false)]
    [DataRow("fec0::1", false, false)]
    [DataRow("ff02::1", false, false)]
    [DataRow("4000::1", false, false)]
    public void IPv6_addresses_are_judged_by_range(string address, bool allowedStrict, bool allowedWithPrivateNetworks)
    {
        AssertVerdicts(address, allowedStrict, allowedWithPrivateNetworks);
    }

    [TestMethod]
    [DataRow("169.254.169.254", "link-local 169.254.0.0/16")]
    [DataRow("::ffff:10.0.0.1", "IPv4-mapped ::ffff:0:0/96 embedding private 10.0.0.0/8")]
    [DataRow("64:ff9b::7f00:1", "NAT64 64:ff9b::/96 embedding loopback 127.0.0.0/8")]
    [DataRow("2002:a9fe:a9fe::1", "6to4 2002::/16 embedding link-local 169.254.0.0/16")]
    [DataRow("2001::1", "Teredo 2001::/32")]
    [DataRow("fd00::1", "unique local fc00::/7")]
    public void Blocked_range_names_the_reason(string address, string expected)
    {
        Assert.AreEqual(expected, RemoteAddressPolicy.BlockedRange(IPAddress.Parse(address), allowPrivateNetworks: false));
    }

    [TestMethod]
    public void Allowed_address_has_no_blocked_range()
    {
        Assert.IsNull(RemoteAddressPolicy.BlockedRange(IPAddress.Parse("93.184.216.34"), allowPrivateNetworks: false));
    }

    private static void AssertVerdicts(string address, bool allowedStrict, bool allowedWithPrivateNetworks)
    {
        var ip = IPAddress.Parse(address);
        Assert.AreEqual(allowedStrict, RemoteAddressPolicy.IsAllowed(ip, allowPrivateNetworks: false), $"{address} with AllowPrivateNetworks=false");
        Assert.AreEqual(allowedWithPrivateNetworks, RemoteAddressPolicy.IsAllowed(ip, allowPrivateNetworks: true), $"{address} with AllowPrivateNetworks=true");
    }
}
