using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Configuration;
using ServerlessFedi.Moderation;
using ServerlessFedi.Remote;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Remote;

namespace ServerlessFedi.Tests.Moderation;

/// <summary>How a domain block or an account action covers actors and servers, and the remote client refusing suspended servers.</summary>
[TestClass]
public sealed class ModerationRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static InstanceDomainBlock Block(string domain, DomainSeverity severity, bool media = false, bool reports = false) =>
        new(domain, severity, media, reports, null, At);

    [TestMethod]
    public void A_block_covers_the_domain_and_every_subdomain_but_not_a_lookalike()
    {
        var rules = new ModerationRules([Block("evil.example", DomainSeverity.Suspend)], []);

        Assert.IsTrue(rules.Suspends("https://evil.example/users/a"));
        Assert.IsTrue(rules.Suspends("https://social.evil.example/users/a"));
        Assert.IsTrue(rules.Suspends("https://a.b.EVIL.example:8443/users/a"));
        Assert.IsFalse(rules.Suspends("https://notevil.example/users/a"));
        Assert.IsFalse(rules.Suspends("https://evil.example.org/users/a"));
        Assert.IsFalse(rules.Suspends("https://example/users/a"));
    }

    [TestMethod]
    public void A_block_with_a_port_covers_only_that_server_of_the_host()
    {
        var rules = new ModerationRules([Block("127.0.0.1:6001", DomainSeverity.Suspend)], []);

        Assert.IsTrue(rules.SuspendsServerOf(new Uri("http://127.0.0.1:6001/inbox")));
        Assert.IsFalse(rules.SuspendsServerOf(new Uri("http://127.0.0.1:6002/inbox")));
        Assert.IsFalse(rules.Suspends("http://127.0.0.2:6001/users/a"));
    }

    [TestMethod]
    public void An_account_takes_the_stronger_of_its_own_action_and_its_server_s_block()
    {
        var rules = new ModerationRules(
            [Block("quiet.example", DomainSeverity.Silence, media: true), Block("noop.example", DomainSeverity.Noop, reports: true)],
            [new ModeratedAccount("https://quiet.example/users/troll", "troll@quiet.example", DomainSeverity.Suspend, At)]);

        Assert.AreEqual(DomainSeverity.Suspend, rules.SeverityOf("https://quiet.example/users/troll"));
        Assert.AreEqual(DomainSeverity.Silence, rules.SeverityOf("https://quiet.example/users/other"));
        Assert.IsTrue(rules.Limits("https://quiet.example/users/other"));
        Assert.IsFalse(rules.Suspends("https://quiet.example/users/other"));
        Assert.IsTrue(rules.RejectsMediaOf("https://quiet.example/users/other"));
        Assert.IsFalse(rules.RejectsReportsOf("https://quiet.example/users/other"));
        Assert.AreEqual(DomainSeverity.Noop, rules.SeverityOf("https://noop.example/users/a"));
        Assert.IsTrue(rules.RejectsReportsOf("https://noop.example/users/a"));
        Assert.AreEqual(DomainSeverity.Noop, rules.SeverityOf("https://elsewhere.example/users/a"));
    }

    [TestMethod]
    public void Domains_are_normalised_and_garbage_is_refused()
    {
        Assert.AreEqual("evil.example", ModerationService.Normalize(" Evil.Example. "));
        Assert.AreEqual("127.0.0.1:6001", ModerationService.Normalize("127.0.0.1:6001"));
        Assert.AreEqual("xn--bcher-kva.example", ModerationService.Normalize("bücher.example"));
        Assert.IsNull(ModerationService.Normalize("https://evil.example/"));
        Assert.IsNull(ModerationService.Normalize("evil.example:0"));
        Assert.IsNull(ModerationService.Normalize("evil example"));
        Assert.IsNull(ModerationService.Normalize(""));
    }

    [TestMethod]
    public async Task The_remote_client_never_resolves_or_connects_to_a_suspended_domain_or_its_subdomains()
    {
        var time = new FakeTimeProvider(TestRemoteClients.Now);
        var services = TestStorage.Services(time);
        var store = new ModerationStore(services.Tables);
        await store.PutDomainBlockAsync(Block("evil.example", DomainSeverity.Suspend), CancellationToken.None);
        var policy = new ModerationPolicy(store, time);
        var network = new FakeNetwork().Map("sub.evil.example", "203.0.113.7").Map("fine.example", "203.0.113.8");
        var options = new FediOptions { BaseUrl = TestRemoteClients.BaseUrl };
        using var client = new RemoteClient(options, new InstanceUrls(options), time, NullLogger<RemoteClient>.Instance, RemoteClientLimits.Default, network.ResolveAsync, network.ConnectAsync, policy);

        foreach (var url in new[] { "https://evil.example/users/a", "https://sub.evil.example/users/a#main-key" })
        {
            var refused = await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => client.GetAsync(new Uri(url), RemoteClient.ActivityStreamsAccept, null, CancellationToken.None));
            Assert.AreEqual(RemoteFetchFailure.SuspendedDomain, refused.Reason);
            Assert.IsTrue(refused.IsPermanent);
        }

        var delivery = await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => client.PostAsync(new Uri("https://sub.evil.example/inbox"), [1], "application/activity+json", null, CancellationToken.None));
        Assert.AreEqual(RemoteFetchFailure.SuspendedDomain, delivery.Reason);
        Assert.IsEmpty(network.Resolved);
        Assert.IsEmpty(network.Connections);

        // An unblocked server is still reached (the fake network refuses the connection itself).
        await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => client.GetAsync(new Uri("https://fine.example/users/a"), RemoteClient.ActivityStreamsAccept, null, CancellationToken.None));
        CollectionAssert.Contains(network.Resolved.ToList(), "fine.example");

        // Lifted: after the cache's lifetime every process sees it.
        await store.RemoveDomainBlockAsync("evil.example", CancellationToken.None);
        time.Advance(ModerationPolicy.CacheLifetime);
        await Assert.ThrowsExactlyAsync<RemoteFetchException>(() => client.GetAsync(new Uri("https://sub.evil.example/users/a"), RemoteClient.ActivityStreamsAccept, null, CancellationToken.None));
        CollectionAssert.Contains(network.Resolved.ToList(), "sub.evil.example");
    }

    [TestMethod]
    public async Task Callers_that_find_the_rules_expired_at_once_read_them_once()
    {
        using var transactions = new StorageTransactions();
        var time = new FakeTimeProvider(At);
        var services = TestStorage.Services(time);
        var store = new ModerationStore(services.Tables);
        await store.PutDomainBlockAsync(Block("evil.example", DomainSeverity.Suspend), CancellationToken.None);
        var policy = new ModerationPolicy(store, time);
        await policy.CurrentAsync(CancellationToken.None);
        time.Advance(ModerationPolicy.CacheLifetime);

        var tag = "rules-" + Guid.NewGuid().ToString("N");
        StorageTransactions.TagFlow(tag);
        try
        {
            var read = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => policy.CurrentAsync(CancellationToken.None)));
            Assert.IsTrue(read.All(rules => rules.Suspends("https://evil.example/users/a")));
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }

        Assert.AreEqual(2, transactions.Of(tag), "one load, domain blocks and account actions (before: one per caller, 64)");
    }
}
