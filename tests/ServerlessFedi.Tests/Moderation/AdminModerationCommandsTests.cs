using Microsoft.Extensions.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Moderation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Moderation;

/// <summary><c>admin domains</c>, <c>admin accounts</c>, <c>admin statuses</c> and <c>admin reports</c> in-process against Azurite, one storage prefix per test.</summary>
[TestClass]
public sealed class AdminModerationCommandsTests
{
    private readonly string _prefix = TestStorage.NewPrefix();

    private IConfiguration Configuration => TestStorage.Configuration(_prefix);

    private async Task<(int Exit, string Stdout, string Stderr)> AdminAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, Configuration, stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [TestMethod]
    public async Task Domains_block_list_and_unblock()
    {
        var block = await AdminAsync("domains", "block", "Evil.Example", "--severity", "silence", "--reject-media", "--public-comment", "Spam waves");
        Assert.AreEqual(0, block.Exit, block.Stderr);
        StringAssert.Contains(block.Stdout, "Blocked evil.example (silence).");

        var suspend = await AdminAsync("domains", "block", "worse.example", "--reject-reports");
        Assert.AreEqual(0, suspend.Exit, suspend.Stderr);
        StringAssert.Contains(suspend.Stdout, "Severing the follows between local accounts and its accounts is queued");

        var list = await AdminAsync("domains", "list");
        Assert.AreEqual(0, list.Exit, list.Stderr);
        var evil = list.Stdout.Split('\n').Single(l => l.StartsWith("evil.example", StringComparison.Ordinal));
        StringAssert.Contains(evil, "silence");
        StringAssert.Contains(evil, "reject");
        StringAssert.Contains(evil, "Spam waves");
        var worse = list.Stdout.Split('\n').Single(l => l.StartsWith("worse.example", StringComparison.Ordinal));
        StringAssert.Contains(worse, "suspend");
        StringAssert.Contains(list.Stdout, "2 blocked domain(s)");

        var unblock = await AdminAsync("domains", "unblock", "evil.example");
        Assert.AreEqual(0, unblock.Exit, unblock.Stderr);
        StringAssert.Contains((await AdminAsync("domains", "list")).Stdout, "1 blocked domain(s)");
    }

    [TestMethod]
    public async Task Domains_refuses_garbage_its_own_domain_and_unknown_blocks_and_changes_nothing()
    {
        var garbage = await AdminAsync("domains", "block", "https://evil.example/");
        var own = await AdminAsync("domains", "block", "example.test");
        var unknown = await AdminAsync("domains", "unblock", "never.example");
        var severity = await AdminAsync("domains", "block", "evil.example", "--severity", "obliterate");

        Assert.AreEqual(1, garbage.Exit);
        StringAssert.Contains(garbage.Stderr, "is not a domain name");
        Assert.AreEqual(1, own.Exit);
        StringAssert.Contains(own.Stderr, "own domain");
        Assert.AreEqual(1, unknown.Exit);
        Assert.AreEqual(2, severity.Exit);
        StringAssert.Contains((await AdminAsync("domains", "list")).Stdout, "0 blocked domain(s)");
    }

    [TestMethod]
    public async Task Accounts_unsuspend_refuses_an_account_without_an_action_and_lifts_one()
    {
        var store = new ModerationStore(new ServerlessFedi.Storage.FediTables(ServerlessFedi.Storage.StorageAccount.FromConfiguration(Configuration), ServerlessFedi.FediServices.ReadOptions(Configuration)));
        await store.PutAccountAsync(new ModeratedAccount("https://remote.example/users/troll", "troll@remote.example", DomainSeverity.Suspend, DateTimeOffset.UtcNow), CancellationToken.None);

        var listed = await AdminAsync("accounts", "list");
        var refused = await AdminAsync("accounts", "unsuspend", "@nobody@remote.example");
        var lifted = await AdminAsync("accounts", "unsuspend", "@troll@remote.example");

        StringAssert.Contains(listed.Stdout, "troll@remote.example");
        StringAssert.Contains(listed.Stdout, "suspend");
        Assert.AreEqual(1, refused.Exit);
        Assert.AreEqual(0, lifted.Exit, lifted.Stderr);
        StringAssert.Contains((await AdminAsync("accounts", "list")).Stdout, "0 account(s)");
    }

    [TestMethod]
    public async Task Reports_show_the_reported_statuses_and_resolve_and_reopen()
    {
        var configuration = Configuration;
        var options = ServerlessFedi.FediServices.ReadOptions(configuration);
        var storage = ServerlessFedi.Storage.StorageAccount.FromConfiguration(configuration);
        var tables = new ServerlessFedi.Storage.FediTables(storage, options);
        var accounts = new ServerlessFedi.Accounts.AccountStore(tables, new ServerlessFedi.Storage.SnowflakeIds(TimeProvider.System), TimeProvider.System);
        var alice = (await accounts.CreateAsync(new ServerlessFedi.Accounts.NewAccount("alice", "Correct-Horse-42-battery", "Alice", null, ServerlessFedi.Accounts.ActorType.Person), CancellationToken.None)).Account!;
        const string StatusId = "117684648624352871";
        await new StatusStore(tables).AddAsync(new Status { Id = StatusId, AccountId = alice.Id, Text = "Our reported statement", ContentHtml = "<p>Our reported statement</p>", CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        var reports = new ReportStore(tables, new ServerlessFedi.Storage.SnowflakeIds(TimeProvider.System), TimeProvider.System);
        await reports.AddAsync("https://remote.example/flags/1", "https://remote.example/users/mod", [alice.Id], [StatusId], "Misleading", CancellationToken.None);
        var id = (await reports.ListAsync(10, CancellationToken.None)).Single().Id;

        var show = await AdminAsync("reports", "show", id);
        Assert.AreEqual(0, show.Exit, show.Stderr);
        StringAssert.Contains(show.Stdout, "open");
        StringAssert.Contains(show.Stdout, "https://remote.example/users/mod");
        StringAssert.Contains(show.Stdout, "Misleading");
        StringAssert.Contains(show.Stdout, "@alice");
        StringAssert.Contains(show.Stdout, "Our reported statement");

        Assert.AreEqual(0, (await AdminAsync("reports", "resolve", id)).Exit);
        StringAssert.Contains((await AdminAsync("reports", "show", id)).Stdout, "resolved");
        StringAssert.Contains((await AdminAsync("reports", "list")).Stdout, "resolved");
        Assert.AreEqual(0, (await AdminAsync("reports", "reopen", id)).Exit);
        Assert.IsNull((await reports.GetAsync(id, CancellationToken.None))!.ResolvedAt);
        Assert.AreEqual(1, (await AdminAsync("reports", "resolve", "123456789012345678")).Exit);
        Assert.AreEqual(1, (await AdminAsync("reports", "show", "not-an-id")).Exit);
    }

    [TestMethod]
    public async Task Statuses_remove_refuses_an_unknown_status()
    {
        var run = await AdminAsync("statuses", "remove", "https://remote.example/statuses/1");

        Assert.AreEqual(1, run.Exit);
        StringAssert.Contains(run.Stderr, "no status");
    }
}
