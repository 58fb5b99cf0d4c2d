using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>Followers of a local account against Azurite: idempotent adds and removes, and the counter they keep.</summary>
[TestClass]
public sealed class FollowerStoreTests
{
    private static RemoteActor Actor(string host, string name, bool sharedInbox = true) => new(
        $"https://{host}/users/{name}",
        "Person",
        name,
        name,
        $"https://{host}/users/{name}/inbox",
        sharedInbox ? $"https://{host}/inbox" : null,
        null,
        $"https://{host}/users/{name}#main-key",
        null,
        null,
        null,
        FederationCore.Start);

    [TestMethod]
    public async Task Adding_a_follower_twice_counts_it_once_and_keeps_its_inbox_current()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var before = Actor("mastodon.example", "bob", sharedInbox: false);

        var first = await core.Followers.AddAsync(alice.Id, before, "https://mastodon.example/follows/1", CancellationToken.None);
        var second = await core.Followers.AddAsync(alice.Id, before with { SharedInbox = "https://mastodon.example/inbox" }, "https://mastodon.example/follows/2", CancellationToken.None);

        Assert.IsTrue(first);
        Assert.IsFalse(second);
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowersCount);
        var page = await core.Followers.GetPageAsync(alice.Id, null);
        Assert.AreEqual("https://mastodon.example/inbox", page.Followers.Single().DeliveryInbox);
        CollectionAssert.AreEqual(new[] { alice.Id }, (await core.Followers.GetFollowedAccountIdsAsync(before.Id, CancellationToken.None)).ToArray());
    }

    [TestMethod]
    public async Task Removing_an_actor_that_does_not_follow_changes_nothing()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var follower = Actor("mastodon.example", "bob");
        await core.Followers.AddAsync(alice.Id, follower, null, CancellationToken.None);

        var removedStranger = await core.Followers.RemoveAsync(alice.Id, "https://misskey.example/users/stranger", CancellationToken.None);
        var removedRequest = await core.Followers.RemoveRequestAsync(alice.Id, "https://misskey.example/users/stranger", CancellationToken.None);

        Assert.IsFalse(removedStranger);
        Assert.IsFalse(removedRequest);
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowersCount);
    }

    [TestMethod]
    public async Task Removing_a_follower_twice_counts_it_once()
    {
        await using var core = new FederationCore();
        var alice = await core.CreateAccountAsync("alice");
        var bob = Actor("mastodon.example", "bob");
        var carol = Actor("gts.example", "carol");
        await core.Followers.AddAsync(alice.Id, bob, null, CancellationToken.None);
        await core.Followers.AddAsync(alice.Id, carol, null, CancellationToken.None);

        await core.Followers.RemoveAsync(alice.Id, bob.Id, CancellationToken.None);
        await core.Followers.RemoveAsync(alice.Id, bob.Id, CancellationToken.None);

        Assert.AreEqual(carol.Id, (await core.Followers.GetPageAsync(alice.Id, null)).Followers.Single().ActorId);
        Assert.IsEmpty(await core.Followers.GetFollowedAccountIdsAsync(bob.Id, CancellationToken.None));
        Assert.AreEqual(1, (await core.Services.Accounts.GetByIdAsync(alice.Id))!.FollowersCount, "the second removal of the same Undo must not count");
    }
}
