using System.Net;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Tests.Remote;

/// <summary>
/// The production policy (AllowPrivateNetworks=false). No server runs here: every request is refused before a socket opens,
/// or reaches the fake connector, which records the endpoint and refuses it, so nothing leaves the machine.
/// </summary>
[TestClass]
public sealed class RemoteClientAddressGuardTests
{
    private const string Accept = RemoteClient.ActivityStreamsAccept;

    private FakeNetwork _network = null!;
    private FakeTimeProvider _time = null!;
    private RemoteClient _client = null!;

    [TestInitialize]
    public void Create()
    {
        _network = new FakeNetwork();
        _time = new FakeTimeProvider(TestRemoteClients.Now);
        _client = TestRemoteClients.Create(allowPrivateNetworks: false, _network, _time);
    }

    [TestCleanup]
    public void Dispose() => _client.Dispose();

    [TestMethod]
    [DataRow("http://93.184.216.34/", DisplayName = "plain http")]
    [DataRow("ftp://peer.test/", DisplayName = "other scheme")]
    [DataRow("https://alice:secret@peer.test/", DisplayName = "userinfo")]
    public async Task Url_that_is_not_plain_https_is_refused_without_resolving(string url)
    {
        var e = await FailsAsync(() => _client.GetAsync(new Uri(url), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.InvalidUrl, e.Reason);
        Assert.IsTrue(e.IsPermanent);
        Assert.IsEmpty(_network.Resolved);
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    [DataRow("https://127.0.0.1/")]
    [DataRow("https://127.0.0.1:8443/inbox")]
    [DataRow("https://[::1]/")]
    [DataRow("https://[::ffff:127.0.0.1]/")]
    [DataRow("https://2130706433/", DisplayName = "loopback as a decimal integer")]
    [DataRow("https://0x7f.1/", DisplayName = "loopback in hex shorthand")]
    [DataRow("https://10.1.2.3/")]
    [DataRow("https://[fe80::1]/")]
    [DataRow("https://[64:ff9b::a00:5]/", DisplayName = "NAT64 of 10.0.0.5")]
    public async Task Literal_forbidden_address_is_refused_without_connecting(string url)
    {
        var e = await FailsAsync(() => _client.GetAsync(new Uri(url), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.IsTrue(e.IsPermanent);
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    public async Task Name_rebound_to_loopback_is_refused_at_connect_time()
    {
        _network.Map("rebind.test", "127.0.0.1");

        var e = await FailsAsync(() => _client.GetAsync(new Uri("https://rebind.test/users/alice"), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.Contains("loopback", e.Message);
        CollectionAssert.AreEqual(new[] { "rebind.test" }, _network.Resolved.ToArray());
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    public async Task Post_to_a_name_resolving_to_private_addresses_is_refused()
    {
        _network.Map("intranet.test", "192.168.1.10", "fd00::10", "::ffff:10.0.0.1");

        var e = await FailsAsync(() => _client.PostAsync(new Uri("https://intranet.test/inbox"), [1, 2, 3], "application/activity+json", new RecordingSigner(), CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    public async Task Mixed_answer_connects_only_to_the_public_address()
    {
        _network.Map("mixed.test", "10.0.0.5", "93.184.216.34");

        var e = await FailsAsync(() => _client.GetAsync(new Uri("https://mixed.test/users/bob"), Accept, null, CancellationToken.None));

        // The fake connector records the public endpoint and refuses it instead of sending anything off the machine.
        Assert.AreEqual(RemoteFetchFailure.ConnectionFailed, e.Reason);
        Assert.IsFalse(e.IsPermanent);
        CollectionAssert.AreEqual(new[] { new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443) }, _network.Connections.ToArray());
    }

    [TestMethod]
    public async Task Public_ipv6_literal_is_connected_without_resolving()
    {
        var e = await FailsAsync(() => _client.GetAsync(new Uri("https://[2606:4700:4700::1111]:8443/"), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.ConnectionFailed, e.Reason);
        Assert.IsEmpty(_network.Resolved);
        CollectionAssert.AreEqual(new[] { new IPEndPoint(IPAddress.Parse("2606:4700:4700::1111"), 8443) }, _network.Connections.ToArray());
    }

    [TestMethod]
    public async Task Unknown_name_is_a_transient_dns_failure()
    {
        var e = await FailsAsync(() => _client.GetAsync(new Uri("https://nowhere.test/"), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.DnsFailure, e.Reason);
        Assert.IsFalse(e.IsPermanent);
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    public async Task Connect_that_never_completes_times_out_as_a_transient_failure()
    {
        _network.Map("slow.test", "93.184.216.34");
        _network.HangOnNonLoopback = true;
        var fetch = _client.GetAsync(new Uri("https://slow.test/"), Accept, null, CancellationToken.None);
        await _network.ConnectStarted.Task.WaitAsync(TestRemoteClients.Guard);

        _time.Advance(RemoteClientLimits.Default.ConnectTimeout);

        var e = await FailsAsync(() => fetch);
        Assert.AreEqual(RemoteFetchFailure.Timeout, e.Reason);
        Assert.IsFalse(e.IsPermanent);
    }

    [TestMethod]
    [DataRow("https://localhost/")]
    [DataRow("https://cards.localhost:8443/page")]
    [DataRow("https://evil.LOCALHOST./")]
    public async Task Localhost_names_are_loopback_without_asking_DNS_and_refused(string url)
    {
        var e = await FailsAsync(() => _client.GetAsync(new Uri(url), Accept, null, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.IsEmpty(_network.Resolved, "RFC 6761 §6.3: localhost names are never sent to DNS");
        Assert.IsEmpty(_network.Connections);
    }

    [TestMethod]
    public async Task A_bounded_GET_that_admits_http_connects_over_http_only_to_public_addresses()
    {
        _network.Map("news.test", "93.184.216.34").Map("intranet.test", "10.0.0.5", "fd00::5");
        var http = new RemoteFetchBounds(1024, TimeSpan.FromSeconds(5), ["text/html"], Truncate: true, AllowHttp: true);
        var httpsOnly = http with { AllowHttp = false };

        var publicHost = await FailsAsync(() => _client.GetBoundedAsync(new Uri("http://news.test/article"), "text/html", http, CancellationToken.None));
        var privateHost = await FailsAsync(() => _client.GetBoundedAsync(new Uri("http://intranet.test/"), "text/html", http, CancellationToken.None));
        var literal = await FailsAsync(() => _client.GetBoundedAsync(new Uri("http://169.254.169.254/latest/meta-data/"), "text/html", http, CancellationToken.None));
        var refused = await FailsAsync(() => _client.GetBoundedAsync(new Uri("http://news.test/other"), "text/html", httpsOnly, CancellationToken.None));

        Assert.AreEqual(RemoteFetchFailure.ConnectionFailed, publicHost.Reason, "port 80 of the public address was tried (the fake connector refuses it)");
        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, privateHost.Reason);
        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, literal.Reason);
        Assert.AreEqual(RemoteFetchFailure.InvalidUrl, refused.Reason);
        CollectionAssert.AreEqual(new[] { new IPEndPoint(IPAddress.Parse("93.184.216.34"), 80) }, _network.Connections.ToArray());
    }

    private static Task<RemoteFetchException> FailsAsync(Func<Task<RemoteResponse>> call) =>
        Assert.ThrowsExactlyAsync<RemoteFetchException>(() => call().WaitAsync(TestRemoteClients.Guard));
}
