using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Tests.Remote;

/// <summary>The guarded client against a real HTTP server on 127.0.0.1, with AllowPrivateNetworks=true as in tests.</summary>
[TestClass]
public sealed class RemoteClientTests
{
    private const string Accept = RemoteClient.ActivityStreamsAccept;
    private const string ActivityJson = "application/activity+json";

    private LoopbackServer _server = null!;
    private FakeNetwork _network = null!;
    private FakeTimeProvider _time = null!;
    private RemoteClient _client = null!;

    [TestInitialize]
    public async Task StartAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _network = new FakeNetwork();
        _time = new FakeTimeProvider(TestRemoteClients.Now);
        _client = TestRemoteClients.Create(allowPrivateNetworks: true, _network, _time);
    }

    [TestCleanup]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [TestMethod]
    public async Task Get_sends_accept_user_agent_and_signature_and_returns_the_document()
    {
        var signer = new RecordingSigner();

        var response = await _client.GetAsync(_server.Url("/echo"), Accept, signer, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
        Assert.AreEqual("application/activity+json; charset=utf-8", response.ContentType);
        Assert.AreEqual("{\"ok\":true}", Encoding.UTF8.GetString(response.Body));
        Assert.AreEqual(_server.Url("/echo"), response.FinalUrl);
        Assert.IsNull(response.RetryAfter);
        var received = _server.Received.Single();
        Assert.AreEqual("GET", received.Method);
        Assert.AreEqual(Accept, received.Accept);
        Assert.AreEqual($"ServerlessFedi/0.1.0 (+{TestRemoteClients.BaseUrl}/)", received.UserAgent);
        Assert.AreEqual(_client.UserAgent, received.UserAgent);
        Assert.AreEqual("1", received.Signature);
        Assert.Contains("gzip", received.AcceptEncoding);
        Assert.Contains("br", received.AcceptEncoding);
        Assert.AreEqual("", received.Cookie);
    }

    [TestMethod]
    public async Task Post_sends_body_content_type_and_signature()
    {
        var signer = new RecordingSigner();
        var body = Encoding.UTF8.GetBytes("{\"type\":\"Create\"}");

        var response = await _client.PostAsync(_server.Url("/status/202"), body, "application/activity+json", signer, CancellationToken.None)
            .WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(202, response.Status);
        var received = _server.Received.Single();
        Assert.AreEqual("POST", received.Method);
        Assert.AreEqual("{\"type\":\"Create\"}", received.Body);
        Assert.AreEqual("application/activity+json", received.ContentType);
        Assert.AreEqual("1", received.Signature);
        Assert.AreEqual(body.Length, signer.Signed.Single().BodyLength);
    }

    [TestMethod]
    [DataRow(404)]
    [DataRow(410)]
    [DataRow(500)]
    public async Task Http_error_status_is_a_response_not_an_exception(int status)
    {
        var response = await _client.GetAsync(_server.Url($"/status/{status}"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(status, response.Status);
        Assert.IsFalse(response.IsSuccess);
        Assert.AreEqual($"status {status}", Encoding.UTF8.GetString(response.Body));
    }

    [TestMethod]
    public async Task Retry_after_in_seconds_is_parsed()
    {
        var response = await _client.GetAsync(_server.Url("/status/429?retry=120"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(429, response.Status);
        Assert.AreEqual(TimeSpan.FromSeconds(120), response.RetryAfter);
    }

    [TestMethod]
    public async Task Retry_after_as_http_date_is_relative_to_the_injected_clock()
    {
        var date = Uri.EscapeDataString("Wed, 21 Oct 2026 07:28:00 GMT");

        var response = await _client.GetAsync(_server.Url($"/status/503?retry={date}"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(503, response.Status);
        Assert.AreEqual(TimeSpan.FromSeconds(90), response.RetryAfter);
    }

    [TestMethod]
    public async Task Retry_after_in_the_past_is_zero()
    {
        var date = Uri.EscapeDataString("Wed, 21 Oct 2026 07:00:00 GMT");

        var response = await _client.GetAsync(_server.Url($"/status/503?retry={date}"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(TimeSpan.Zero, response.RetryAfter);
    }

    [TestMethod]
    public async Task Body_of_exactly_the_limit_is_accepted()
    {
        var limit = RemoteClientLimits.Default.MaxBodyBytes;

        var response = await _client.GetAsync(_server.Url($"/bytes/{limit}"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.HasCount(limit, response.Body);
    }

    [TestMethod]
    [DataRow("/bytes/3145728", DisplayName = "declared by Content-Length")]
    [DataRow("/bytes/3145728?chunked", DisplayName = "chunked, found while reading")]
    [DataRow("/gzip-bomb", DisplayName = "gzip, counted after decompression")]
    public async Task Body_over_the_limit_is_refused(string path)
    {
        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(_server.Url(path), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.BodyTooLarge, e.Reason);
        Assert.IsTrue(e.IsPermanent);
    }

    [TestMethod]
    public async Task Server_that_never_answers_times_out_as_a_transient_failure()
    {
        var fetch = _client.GetAsync(_server.Url("/hang"), Accept, null, CancellationToken.None);
        await _server.Stalled.Task.WaitAsync(TestRemoteClients.Guard);

        _time.Advance(RemoteClientLimits.Default.RequestTimeout);

        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => fetch.WaitAsync(TestRemoteClients.Guard));
        Assert.AreEqual(RemoteFetchFailure.Timeout, e.Reason);
        Assert.IsFalse(e.IsPermanent);
    }

    [TestMethod]
    public async Task Server_that_stalls_mid_body_times_out()
    {
        var fetch = _client.GetAsync(_server.Url("/hang-body"), Accept, null, CancellationToken.None);
        await _server.Stalled.Task.WaitAsync(TestRemoteClients.Guard);

        _time.Advance(RemoteClientLimits.Default.RequestTimeout);

        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => fetch.WaitAsync(TestRemoteClients.Guard));
        Assert.AreEqual(RemoteFetchFailure.Timeout, e.Reason);
    }

    [TestMethod]
    public async Task Time_short_of_the_limit_does_not_time_out()
    {
        var fetch = _client.GetAsync(_server.Url("/hang"), Accept, null, CancellationToken.None);
        await _server.Stalled.Task.WaitAsync(TestRemoteClients.Guard);

        _time.Advance(RemoteClientLimits.Default.RequestTimeout - TimeSpan.FromMilliseconds(1));

        Assert.IsFalse(fetch.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => fetch.WaitAsync(TestRemoteClients.Guard));
    }

    [TestMethod]
    public async Task Caller_cancellation_is_not_a_fetch_failure()
    {
        using var cts = new CancellationTokenSource();
        var fetch = _client.GetAsync(_server.Url("/hang"), Accept, null, cts.Token);
        await _server.Stalled.Task.WaitAsync(TestRemoteClients.Guard);

        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => fetch.WaitAsync(TestRemoteClients.Guard));
    }

    [TestMethod]
    public async Task Redirect_chain_of_two_is_followed_and_each_hop_is_signed()
    {
        var signer = new RecordingSigner();

        var response = await _client.GetAsync(_server.Url("/redirect/2"), Accept, signer, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
        Assert.AreEqual(_server.Url("/echo"), response.FinalUrl);
        CollectionAssert.AreEqual(new[] { "/redirect/2", "/redirect/1", "/echo" }, _server.Received.Select(r => r.Path).ToArray());
        CollectionAssert.AreEqual(new[] { "1", "2", "3" }, _server.Received.Select(r => r.Signature).ToArray());
        CollectionAssert.AreEqual(
            new[] { _server.Url("/redirect/2"), _server.Url("/redirect/1"), _server.Url("/echo") },
            signer.Signed.Select(s => s.Url).ToArray());
    }

    [TestMethod]
    public async Task Three_redirects_are_followed()
    {
        var response = await _client.GetAsync(_server.Url("/redirect/3"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
    }

    [TestMethod]
    public async Task Four_redirects_are_refused()
    {
        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(_server.Url("/redirect/4"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.TooManyRedirects, e.Reason);
        Assert.HasCount(4, _server.Received);
    }

    [TestMethod]
    [DataRow("http://10.0.0.1/", DisplayName = "private literal")]
    [DataRow("http://169.254.169.254/latest/meta-data/", DisplayName = "cloud metadata literal")]
    [DataRow("http://[::1]/", DisplayName = "IPv6 loopback literal")]
    [DataRow("http://[::ffff:a9fe:a9fe]/", DisplayName = "IPv4-mapped metadata literal")]
    [DataRow("http://2852039166/", DisplayName = "metadata as a decimal integer")]
    public async Task Redirect_to_a_forbidden_literal_address_is_refused_before_connecting(string target)
    {
        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(RedirectTo(302, target), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.IsTrue(e.IsPermanent);
        AssertOnlyLoopbackConnections();
    }

    [TestMethod]
    public async Task Redirect_to_a_name_resolving_to_the_metadata_address_is_refused_at_connect_time()
    {
        _network.Map("metadata.test", "169.254.169.254", "fd00::1");

        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(RedirectTo(302, "http://metadata.test/latest/meta-data/"), Accept, null, CancellationToken.None)
                .WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.BlockedAddress, e.Reason);
        Assert.Contains("link-local", e.Message);
        CollectionAssert.Contains(_network.Resolved.ToArray(), "metadata.test");
        AssertOnlyLoopbackConnections();
    }

    [TestMethod]
    [DataRow("file:///etc/passwd")]
    [DataRow("ftp://peer.test/")]
    [DataRow("http://user:secret@127.0.0.1/")]
    public async Task Redirect_to_an_unusable_url_is_refused(string target)
    {
        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(RedirectTo(302, target), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.InvalidUrl, e.Reason);
        Assert.DoesNotContain("secret", e.Message);
    }

    [TestMethod]
    [DataRow(301)]
    [DataRow(302)]
    [DataRow(303)]
    public async Task Post_does_not_follow_301_302_or_303(int status)
    {
        var signer = new RecordingSigner();
        var body = Encoding.UTF8.GetBytes("{}");

        var response = await _client.PostAsync(RedirectTo(status, "/echo"), body, ActivityJson, signer, CancellationToken.None)
            .WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(status, response.Status);
        Assert.AreEqual(_server.Url("/echo").AbsoluteUri, response.Location);
        Assert.HasCount(1, _server.Received);
        Assert.HasCount(1, signer.Signed);
    }

    [TestMethod]
    [DataRow(307)]
    [DataRow(308)]
    public async Task Post_follows_307_and_308_with_the_same_body_signed_again(int status)
    {
        var signer = new RecordingSigner();
        var body = Encoding.UTF8.GetBytes("{\"type\":\"Like\"}");

        var response = await _client.PostAsync(RedirectTo(status, "/echo"), body, ActivityJson, signer, CancellationToken.None)
            .WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
        var hops = _server.Received.ToArray();
        Assert.HasCount(2, hops);
        Assert.AreEqual("POST", hops[1].Method);
        Assert.AreEqual("{\"type\":\"Like\"}", hops[1].Body);
        Assert.AreEqual("2", hops[1].Signature);
        Assert.AreEqual(_server.Url("/echo"), signer.Signed[1].Url);
    }

    [TestMethod]
    public async Task Get_follows_303_as_a_get()
    {
        var response = await _client.GetAsync(RedirectTo(303, "/echo"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
        Assert.AreEqual("GET", _server.Received.Last().Method);
    }

    [TestMethod]
    public async Task Host_name_connects_only_to_its_allowed_addresses()
    {
        _network.Map("peer.test", "::1", "10.0.0.5", "127.0.0.1");

        var response = await _client.GetAsync(new Uri($"http://peer.test:{_server.BaseUri.Port}/echo"), Accept, null, CancellationToken.None)
            .WaitAsync(TestRemoteClients.Guard);

        Assert.AreEqual(200, response.Status);
        CollectionAssert.AreEqual(new[] { new IPEndPoint(IPAddress.Loopback, _server.BaseUri.Port) }, _network.Connections.ToArray());
    }

    [TestMethod]
    public async Task Refused_connection_is_a_transient_failure()
    {
        var closedPort = ClosedLoopbackPort();

        var e = await Assert.ThrowsExactlyAsync<RemoteFetchException>(
            () => _client.GetAsync(new Uri($"http://127.0.0.1:{closedPort}/"), Accept, null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard));

        Assert.AreEqual(RemoteFetchFailure.ConnectionFailed, e.Reason);
        Assert.IsFalse(e.IsPermanent);
    }

    private Uri RedirectTo(int status, string target) => _server.Url($"/to/{status}?url={Uri.EscapeDataString(target)}");

    private void AssertOnlyLoopbackConnections()
    {
        Assert.IsNotEmpty(_network.Connections);
        foreach (var endpoint in _network.Connections)
        {
            Assert.AreEqual(IPAddress.Loopback, endpoint.Address, $"connected to {endpoint}");
        }
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
