using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>Follows of local accounts against Azurite: concurrent writers of one pair move the following count once.</summary>
[TestClass]
public sealed class FollowingStoreTests
{
    private const string Target = "https://mastodon.example/users/bob";

    [TestMethod]
    public async Task Concurrent_accepted_follows_of_one_pair_count_once()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var following = new FollowingStore(core.Services.Tables, core.Services.Accounts, core.Time);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            following.AddAsync(alice.Id, Target, "1", $"https://social.example.test/follows/{i}", accepted: true, CancellationToken.None)));

        Assert.AreEqual(1, results.Count(r => r is null), "exactly one writer created the follow");
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowingCount);
        Assert.AreEqual(FollowingStore.Accepted, (await following.GetAsync(alice.Id, Target, CancellationToken.None))!.State);
        CollectionAssert.AreEqual(new[] { alice.Id }, (await following.GetLocalFollowersOfAsync(Target, CancellationToken.None)).ToArray());
    }

    [TestMethod]
    public async Task A_redelivered_accept_counts_the_follow_once()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var following = new FollowingStore(core.Services.Tables, core.Services.Accounts, core.Time);
        Assert.IsNull(await following.AddAsync(alice.Id, Target, "1", "https://social.example.test/follows/1", accepted: false, CancellationToken.None));
        Assert.AreEqual(0, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowingCount, "a request is not counted");

        var accepted = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => following.AcceptAsync(alice.Id, Target, CancellationToken.None)));

        Assert.AreEqual(1, accepted.Count(a => a));
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowingCount);
        Assert.IsFalse(await following.AcceptAsync(alice.Id, Target, CancellationToken.None), "already accepted");
        Assert.AreEqual(FollowingStore.Accepted, await following.AddAsync(alice.Id, Target, "1", "https://social.example.test/follows/2", accepted: true, CancellationToken.None));
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowingCount);
    }

    [TestMethod]
    public async Task Concurrent_unfollows_count_once()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var following = new FollowingStore(core.Services.Tables, core.Services.Accounts, core.Time);
        await following.AddAsync(alice.Id, Target, "1", "https://social.example.test/follows/1", accepted: true, CancellationToken.None);
        await following.AddAsync(alice.Id, "https://mastodon.example/users/carol", "2", "https://social.example.test/follows/2", accepted: true, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => following.RemoveAsync(alice.Id, Target, CancellationToken.None)));

        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowingCount);
        Assert.IsNull(await following.GetAsync(alice.Id, Target, CancellationToken.None));
    }
}
