using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Remote work caused by client API requests (issue 11, findings 7 and 11): anonymous callers cause none, a post's
/// mentions cause a bounded number of lookups, and a refused or failed fetch is "not found", never a 500. Host names
/// never reach DNS: the instance's remote client records each name it is asked to resolve and fails it, while a
/// <see cref="FakePeer"/> on 127.0.0.1 plays a server that answers.
/// </summary>
[TestClass]
public sealed class RemoteLookupTests
{
    private static readonly ConcurrentQueue<string> Resolved = new();

    private static TestInstance _instance = null!;
    private static FakePeer _peer = null!;
    private static string _token = "";

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _instance = await TestInstance.StartAsync(configureServices: services => services.AddSingleton(sp => new RemoteClient(
            sp.GetRequiredService<FediOptions>(),
            sp.GetRequiredService<InstanceUrls>(),
            TimeProvider.System,
            NullLogger<RemoteClient>.Instance,
            RemoteClientLimits.Default,
            (host, _) =>
            {
                Resolved.Enqueue(host);
                throw new SocketException((int)SocketError.HostNotFound);
            })));
        _peer = await FakePeer.StartAsync();
        (_, _token) = await Api.AccountAsync("searcher");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _peer.DisposeAsync();
    }

    private static int ResolvedCount(string suffix) => Resolved.Count(h => h.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    [TestMethod]
    [DataRow("http://10.0.0.1/users/x")]
    [DataRow("http://169.254.169.254/latest/meta-data/")]
    [DataRow("http://[::1]/users/x")]
    [DataRow("https://unresolvable.example/users/x")]
    public async Task A_resolving_search_for_a_refused_or_unreachable_address_answers_200_with_nothing(string url)
    {
        var (status, body) = await Api.GetAsync($"/api/v2/search?resolve=true&q={Uri.EscapeDataString(url)}", _token);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(0, body.GetProperty("accounts").GetArrayLength());
        Assert.AreEqual(0, body.GetProperty("statuses").GetArrayLength());
    }

    [TestMethod]
    public async Task A_resolving_search_for_an_oversized_or_failing_document_answers_200_with_nothing()
    {
        _peer.Serve("/users/huge", new JsonObject { ["id"] = _peer.BaseUrl + "/users/huge", ["type"] = "Person", ["padding"] = new string('x', 3 * 1024 * 1024) });
        _peer.Serve("/users/broken", null, 500);

        foreach (var path in new[] { "/users/huge", "/users/broken", "/users/missing" })
        {
            var (status, body) = await Api.GetAsync($"/api/v2/search?resolve=true&q={Uri.EscapeDataString(_peer.BaseUrl + path)}", _token);

            Assert.AreEqual(HttpStatusCode.OK, status, path);
            Assert.AreEqual(0, body.GetProperty("accounts").GetArrayLength(), path);
        }
    }

    [TestMethod]
    public async Task Handles_on_refused_hosts_are_not_found_in_every_account_search()
    {
        var (v2, v2Body) = await Api.GetAsync($"/api/v2/search?resolve=true&q={Uri.EscapeDataString("@someone@10.0.0.1")}", _token);
        var (v1, v1Body) = await Api.GetAsync($"/api/v1/accounts/search?resolve=true&q={Uri.EscapeDataString("someone@10.0.0.1")}", _token);
        var (lookup, lookupBody) = await Api.GetAsync($"/api/v1/accounts/lookup?acct={Uri.EscapeDataString("someone@169.254.169.254")}", _token);

        Assert.AreEqual(HttpStatusCode.OK, v2);
        Assert.AreEqual(0, v2Body.GetProperty("accounts").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.OK, v1);
        Assert.AreEqual(0, v1Body.GetArrayLength());
        Assert.AreEqual(HttpStatusCode.NotFound, lookup);
        Assert.AreEqual("Record not found", lookupBody.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task An_anonymous_lookup_of_an_unknown_remote_handle_fetches_nothing()
    {
        var (status, _) = await Api.GetAsync("/api/v1/accounts/lookup?acct=carol@anonymous-lookup.example", null);
        var (search, _) = await Api.GetAsync($"/api/v2/search?resolve=true&q={Uri.EscapeDataString("@carol@anonymous-search.example")}", null);

        Assert.AreEqual(HttpStatusCode.NotFound, status);
        Assert.AreEqual(HttpStatusCode.OK, search);
        Assert.AreEqual(0, ResolvedCount("anonymous-lookup.example"), "no WebFinger for an anonymous lookup");
        Assert.AreEqual(0, ResolvedCount("anonymous-search.example"), "no WebFinger for an anonymous search");
    }

    [TestMethod]
    public async Task An_anonymous_lookup_answers_from_what_a_signed_in_lookup_resolved_without_asking_again()
    {
        var dana = _peer.AddActor("dana");
        var acct = $"dana@{_peer.Authority}";
        _peer.Serve("/.well-known/webfinger", new JsonObject
        {
            ["subject"] = "acct:" + acct,
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["type"] = "application/activity+json", ["href"] = dana.Id }),
        });

        var (signedIn, signedInBody) = await Api.GetAsync($"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(acct)}", _token);
        Assert.AreEqual(HttpStatusCode.OK, signedIn);
        var requests = _peer.Received.Count;

        var (anonymous, anonymousBody) = await Api.GetAsync($"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(acct)}", null);

        Assert.AreEqual(HttpStatusCode.OK, anonymous);
        Assert.AreEqual(signedInBody.GetProperty("id").GetString(), anonymousBody.GetProperty("id").GetString());
        Assert.AreEqual(dana.Id, anonymousBody.GetProperty("uri").GetString());
        Assert.AreEqual(requests, _peer.Received.Count, "the anonymous lookup made no request");
    }

    [TestMethod]
    public async Task A_post_naming_thirty_unknown_remote_accounts_makes_at_most_ten_lookups()
    {
        var (_, token) = await Api.AccountAsync("mentioner");
        var text = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"@u{i}@h{i}.mentions.example"));

        var status = await Api.PostAsync(token, text);

        // Ten, or fewer when the lookups took longer than the 10-second budget on a busy machine; never thirty.
        Assert.IsNotNull(status);
        var lookups = Resolved.Where(h => h.EndsWith(".mentions.example", StringComparison.Ordinal)).Distinct().Count();
        Assert.IsGreaterThan(0, lookups);
        Assert.IsLessThanOrEqualTo(ServerlessFedi.Statuses.StatusComposer.MaxRemoteMentions, lookups);
    }
}
