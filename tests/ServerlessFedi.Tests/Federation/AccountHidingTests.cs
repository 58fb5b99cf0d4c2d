using Azure;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// The notification rule's question (<see cref="AccountHiding.StandingAsync"/>) answered from one fresh row, the
/// account's hiding version, and lists kept under it (issue 17): exact at once for a block, mute or domain block made
/// on another instance, for rows from before versions existed, and one storage transaction when nothing changed.
/// Two service providers over one storage prefix are two instances.
/// </summary>
[TestClass]
public sealed class AccountHidingTests
{
    private const string Actor = "https://remote.example/users/storm";

    [TestMethod]
    public async Task A_block_mute_or_domain_block_made_on_another_instance_applies_at_once()
    {
        var prefix = TestStorage.NewPrefix();
        await using var here = Instance(prefix);
        await using var there = Instance(prefix);
        var account = await CreateAccountAsync(here);
        var hiding = here.GetRequiredService<AccountHiding>();
        Assert.IsFalse((await hiding.StandingAsync(account.Id, Actor, CancellationToken.None)).Hides);

        var following = there.GetRequiredService<FollowingStore>();
        await following.SetRelationAsync(RelationshipService.Block, account.Id, Actor, RemoteAccountIds.For(Actor), on: true, CancellationToken.None);
        Assert.IsTrue((await hiding.StandingAsync(account.Id, Actor, CancellationToken.None)).Blocks, "blocked there a moment ago");

        await following.SetRelationAsync(RelationshipService.Block, account.Id, Actor, RemoteAccountIds.For(Actor), on: false, CancellationToken.None);
        Assert.IsFalse((await hiding.StandingAsync(account.Id, Actor, CancellationToken.None)).Hides, "unblocked there");

        await following.SetRelationAsync(RelationshipService.Mute, account.Id, Actor, RemoteAccountIds.For(Actor), on: true, CancellationToken.None);
        Assert.IsTrue((await hiding.StandingAsync(account.Id, Actor, CancellationToken.None)).Mutes, "muted there");
        await following.SetRelationAsync(RelationshipService.Mute, account.Id, Actor, RemoteAccountIds.For(Actor), on: false, CancellationToken.None);

        await there.GetRequiredService<DomainBlockStore>().AddAsync(account.Id, "remote.example", CancellationToken.None);
        var standing = await hiding.StandingAsync(account.Id, Actor, CancellationToken.None);
        Assert.IsTrue(standing.BlocksServer && !standing.Blocks && !standing.Mutes, "its server blocked there");
        Assert.IsFalse((await hiding.StandingAsync(account.Id, "https://other.example/users/calm", CancellationToken.None)).Hides, "another server");

        await there.GetRequiredService<DomainBlockStore>().RemoveAsync(account.Id, "remote.example", CancellationToken.None);
        Assert.IsFalse((await hiding.StandingAsync(account.Id, Actor, CancellationToken.None)).Hides, "its server unblocked there");
    }

    [TestMethod]
    public async Task A_like_from_an_actor_blocked_on_another_instance_a_moment_before_is_counted_but_notifies_nobody()
    {
        var prefix = TestStorage.NewPrefix();
        await using var here = Instance(prefix);
        await using var there = Instance(prefix);
        var author = await CreateAccountAsync(here);
        var status = new Status { Id = here.GetRequiredService<SnowflakeIds>().Next(), AccountId = author.Id, Text = "Storm warning", ContentHtml = "<p>Storm warning</p>", CreatedAt = DateTimeOffset.UtcNow };
        await here.GetRequiredService<StatusStore>().AddAsync(status, CancellationToken.None);
        var interactions = here.GetRequiredService<StatusInteractions>();
        await interactions.ReceiveAsync(InteractionKind.Favourite, status, "https://remote.example/users/fan", "https://remote.example/likes/1", CancellationToken.None);

        await there.GetRequiredService<FollowingStore>().SetRelationAsync(RelationshipService.Block, author.Id, Actor, RemoteAccountIds.For(Actor), on: true, CancellationToken.None);
        await interactions.ReceiveAsync(InteractionKind.Favourite, status, Actor, "https://remote.example/likes/2", CancellationToken.None);

        Assert.AreEqual(2, (await here.GetRequiredService<StatusStore>().GetAsync(status.Id, CancellationToken.None))!.FavouritesCount);
        var notified = new List<string>();
        await foreach (var n in here.GetRequiredService<NotificationStore>().ScanAsync(author.Id, null, null, 100, 1000, CancellationToken.None))
        {
            notified.Add(n.FromActorId);
        }

        CollectionAssert.AreEqual(new[] { "https://remote.example/users/fan" }, notified, "the blocked actor's Like notifies nobody");
    }

    [TestMethod]
    public async Task A_block_stored_before_versions_existed_hides_the_actor()
    {
        await using var services = Instance(TestStorage.NewPrefix());
        var account = await CreateAccountAsync(services);
        await services.GetRequiredService<FollowingStore>().SetRelationAsync(RelationshipService.Block, account.Id, Actor, RemoteAccountIds.For(Actor), on: true, CancellationToken.None);
        var table = await services.GetRequiredService<FediTables>().GetAsync(StorageNames.FollowingTable, CancellationToken.None);
        var (pk, rk) = StorageKeys.HidingVersion(account.Id);
        await table.DeleteEntityAsync(pk, rk, ETag.All, CancellationToken.None); // as an account blocking before this code

        Assert.IsTrue((await services.GetRequiredService<AccountHiding>().StandingAsync(account.Id, Actor, CancellationToken.None)).Blocks);
    }

    [TestMethod]
    public async Task The_rule_reads_one_row_while_the_lists_are_unchanged()
    {
        using var transactions = new StorageTransactions();
        await using var services = Instance(TestStorage.NewPrefix());
        var account = await CreateAccountAsync(services);
        var hiding = services.GetRequiredService<AccountHiding>();
        await hiding.StandingAsync(account.Id, Actor, CancellationToken.None);

        var tag = "rule-" + Guid.NewGuid().ToString("N");
        StorageTransactions.TagFlow(tag);
        try
        {
            Assert.IsFalse((await hiding.StandingAsync(account.Id, "https://remote.example/users/other", CancellationToken.None)).Hides);
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }

        Assert.AreEqual(1, transactions.Of(tag), "the version only (before: block, mute and domain-block rows, 3)");
    }

    [TestMethod]
    public async Task Callers_that_ask_about_one_account_at_once_share_one_read_of_its_lists()
    {
        using var transactions = new StorageTransactions();
        await using var services = Instance(TestStorage.NewPrefix());
        var account = await CreateAccountAsync(services);
        var hiding = services.GetRequiredService<AccountHiding>();
        await hiding.StandingAsync((await CreateAccountAsync(services)).Id, Actor, CancellationToken.None); // the operator's rules, read once per process
        await services.GetRequiredService<FollowingStore>().HidingVersions.CurrentAsync(account.Id, CancellationToken.None); // the version row, made on first use

        var tag = "burst-" + Guid.NewGuid().ToString("N");
        StorageTransactions.TagFlow(tag);
        try
        {
            var standings = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => hiding.StandingAsync(account.Id, $"https://remote.example/users/fan{i}", CancellationToken.None)));
            Assert.IsFalse(standings.Any(s => s.Hides));
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }

        Assert.AreEqual(32 + 3, transactions.Of(tag), "the version per caller, the block, mute and domain-block lists once (before: once per caller that missed)");
    }

    private static ServiceProvider Instance(string prefix) =>
        new ServiceCollection().AddFedi(TestStorage.Configuration(prefix)).BuildServiceProvider();

    private static async Task<LocalAccount> CreateAccountAsync(ServiceProvider services) =>
        (await services.GetRequiredService<AccountStore>().CreateAsync(new NewAccount("h" + Guid.NewGuid().ToString("N")[..10], "Correct-Horse-42-battery"))).Account!;
}
