using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Fan-out against Azurite: one delivery per distinct inbox, page by page, resumable after a crash. The deliver and fan-out
/// queues are read back raw (Base64 JSON) as the queue trigger would receive them. No remote server is contacted here.
/// </summary>
[TestClass]
public sealed class FanoutTests
{
    private static readonly string Activity = new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = "https://social.example.test/users/alice/statuses/1/activity",
        ["type"] = "Create",
        ["actor"] = "https://social.example.test/users/alice",
        ["object"] = new JsonObject { ["type"] = "Note", ["content"] = "<p>Hello</p>" },
    }.ToJsonString();

    private static FederationCore _core = null!;
    private static int _senders;

    [ClassInitialize]
    public static void Start(TestContext _) => _core = new FederationCore();

    [ClassCleanup]
    public static async Task Stop() => await _core.DisposeAsync();

    [TestInitialize]
    public async Task EmptyQueues() => await _core.ClearQueuesAsync();

    /// <summary>
    /// Fan-out reads followers by the sender's id only, so a fresh id stands in for an account (creating one costs RSA and Argon2).
    /// </summary>
    private static string NewSender() =>
        (100_000_000_000_000_000L + Interlocked.Increment(ref _senders)).ToString(CultureInfo.InvariantCulture);

    private static RemoteActor Actor(string host, int n, bool sharedInbox) => new(
        $"https://{host}/users/u{n:D2}",
        "Person",
        $"u{n:D2}",
        null,
        $"https://{host}/users/u{n:D2}/inbox",
        sharedInbox ? $"https://{host}/inbox" : null,
        null,
        $"https://{host}/users/u{n:D2}#main-key",
        null,
        null,
        null,
        FederationCore.Start);

    [TestMethod]
    public async Task Followers_on_five_servers_cost_one_delivery_per_distinct_inbox()
    {
        var sender = NewSender();
        var followers = new List<RemoteActor>();
        foreach (var (host, shared) in new[] { ("a.example", true), ("b.example", true), ("c.example", true), ("d.example", false), ("e.example", false) })
        {
            for (var n = 0; n < 5; n++)
            {
                followers.Add(Actor(host, n, shared));
            }
        }

        foreach (var follower in followers)
        {
            Assert.IsTrue(await _core.Followers.AddAsync(sender, follower, follower.Id + "#follow", CancellationToken.None));
        }

        await _core.Fanout.ProcessAsync(new FanoutMessage(sender, Activity, null, null, null, 0), CancellationToken.None);

        var deliveries = await _core.ReceiveDeliveriesAsync();
        var expected = followers.Select(f => f.DeliveryInbox).Distinct().ToList();
        Assert.HasCount(13, expected, "3 shared inboxes + 10 personal ones");
        CollectionAssert.AreEquivalent(expected, deliveries.Select(d => d.Inbox).ToList());
        foreach (var delivery in deliveries)
        {
            Assert.AreEqual(new DeliveryMessage(sender, delivery.Inbox, Activity, null, 1, _core.Time.GetUtcNow()), delivery);
        }

        Assert.IsEmpty(await _core.ReceiveFanoutsAsync(), "one page only: no next-page message");
    }

    [TestMethod]
    public async Task Inboxes_named_on_the_first_page_get_the_activity_even_without_following()
    {
        var lonely = NewSender();
        var popular = NewSender();
        var follower = Actor("a.example", 1, sharedInbox: true);
        await _core.Followers.AddAsync(popular, follower, null, CancellationToken.None);
        const string Mentioned = "https://misskey.example/users/9tjq7mbg0a/inbox";

        await _core.Fanout.ProcessAsync(new FanoutMessage(lonely, Activity, null, null, null, 0, [Mentioned]), CancellationToken.None);
        await _core.Fanout.ProcessAsync(new FanoutMessage(popular, Activity, null, null, null, 0, [Mentioned, follower.DeliveryInbox]), CancellationToken.None);

        var deliveries = await _core.ReceiveDeliveriesAsync();
        CollectionAssert.AreEquivalent(new[] { Mentioned }, deliveries.Where(d => d.SenderId == lonely).Select(d => d.Inbox).ToArray());
        CollectionAssert.AreEquivalent(
            new[] { Mentioned, "https://a.example/inbox" },
            deliveries.Where(d => d.SenderId == popular).Select(d => d.Inbox).ToArray(),
            "an extra inbox that is also a follower's gets one delivery");
    }

    [TestMethod]
    public async Task A_fan_out_that_skips_followers_reaches_only_the_named_inboxes()
    {
        var sender = NewSender();
        await _core.Followers.AddAsync(sender, Actor("a.example", 1, sharedInbox: true), null, CancellationToken.None);
        const string Mentioned = "https://gts.example/users/x/inbox";

        await _core.Fanout.ProcessAsync(new FanoutMessage(sender, Activity, null, null, null, 0, [Mentioned], SkipFollowers: true), CancellationToken.None);

        CollectionAssert.AreEqual(new[] { Mentioned }, (await _core.ReceiveDeliveriesAsync()).Select(d => d.Inbox).ToArray());
        Assert.IsEmpty(await _core.ReceiveFanoutsAsync());
    }

    [TestMethod]
    public async Task A_fan_out_over_several_pages_enqueues_each_next_page_and_a_repeated_page_skips_no_inbox()
    {
        // FanoutProcessor always reads pages of FollowerStore.PageSize (1,000), so more than 1,000 followers are needed. They are
        // written in batches of 100 in FollowerStore's row shape: AddAsync costs 3-4 transactions per follower.
        var sender = NewSender();
        var followers = new List<RemoteActor>();
        for (var h = 0; h < 42; h++)
        {
            var host = $"h{h:D2}.example";
            var personal = h is 7 or 40;
            for (var n = 0; n < (h == 39 ? 35 : 25); n++)
            {
                followers.Add(Actor(host, n, sharedInbox: !personal));
            }
        }

        await SeedAsync(sender, followers);
        var expected = followers.Select(f => f.DeliveryInbox).Distinct().ToHashSet();
        Assert.HasCount(90, expected, "40 shared inboxes + 50 personal ones");

        var page0 = new FanoutMessage(sender, Activity, null, null, null, 0);
        await _core.Fanout.ProcessAsync(page0, CancellationToken.None);
        var next = (await _core.ReceiveFanoutsAsync()).Single();

        Assert.AreEqual(1, next.Page);
        Assert.IsNotNull(next.ContinuationToken);
        Assert.AreEqual("https://h39.example/inbox", next.LastInbox, "the 1,000th follower is one of h39's");
        Assert.IsNull(next.ExtraInboxes);
        Assert.AreEqual(Activity, next.Activity);

        // Crash after page 0 enqueued its deliveries and the next page but before its message was deleted: the host runs it again.
        await _core.Fanout.ProcessAsync(page0, CancellationToken.None);
        var again = (await _core.ReceiveFanoutsAsync()).Single();
        Assert.AreEqual(next, again, "the same next page, not a skipped one");

        await _core.Fanout.ProcessAsync(next, CancellationToken.None);
        Assert.IsEmpty(await _core.ReceiveFanoutsAsync(), "the last page enqueues no further page");

        var delivered = (await _core.ReceiveDeliveriesAsync()).GroupBy(d => d.Inbox).ToDictionary(g => g.Key, g => g.Count());
        CollectionAssert.AreEquivalent(expected.ToArray(), delivered.Keys.ToArray(), "every inbox at least once, and nothing else");
        Assert.IsTrue(delivered.Values.All(c => c <= 2), "at most the repeated page is delivered twice");
        Assert.AreEqual(2, delivered["https://h00.example/inbox"], "page 0 ran twice");
        Assert.AreEqual(1, delivered["https://h40.example/users/u00/inbox"], "page 1 ran once");
        Assert.AreEqual(2, delivered["https://h39.example/inbox"], "page 1 does not repeat the inbox page 0 ended with");
    }

    private static async Task SeedAsync(string sender, IReadOnlyList<RemoteActor> followers)
    {
        var table = await _core.Services.Tables.GetAsync(StorageNames.FollowersTable);
        foreach (var chunk in followers.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(f =>
            {
                var (pk, rk) = StorageKeys.Follower(sender, f.Id);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(pk, rk)
                {
                    ["ActorId"] = f.Id,
                    ["Inbox"] = f.Inbox,
                    ["SharedInbox"] = f.SharedInbox,
                    ["FollowActivityId"] = f.Id + "#follow",
                    ["CreatedAt"] = FederationCore.Start,
                });
            }));
        }
    }

    /// <summary>Issue 17 item 5: a fan-out reads one row per distinct inbox, and a large one runs as shards at once.</summary>
    [TestMethod]
    public async Task A_large_fan_out_reads_the_inbox_set_and_splits_into_shards_that_reach_every_inbox_once()
    {
        const int Inboxes = 2_500;
        var sender = NewSender();
        var followers = Enumerable.Range(0, Inboxes).SelectMany(n => new[] { Actor($"s{n:D4}.example", 1, true), Actor($"s{n:D4}.example", 2, true) })
            .Select(a => new Follower(a.Id, a.Inbox, a.SharedInbox, null, FederationCore.Start)).ToList();
        await _core.Followers.Inboxes.AddManyAsync(sender, followers, CancellationToken.None);
        await _core.Followers.Inboxes.MarkBuiltAsync(sender, CancellationToken.None);

        await _core.Fanout.ProcessAsync(new FanoutMessage(sender, Activity, null, null, null, 0), CancellationToken.None);
        var shards = await _core.ReceiveFanoutsAsync();
        Assert.HasCount(FanoutProcessor.Shards, shards, "the rest split into shards");
        var messages = 1 + shards.Count;
        var pending = new Queue<FanoutMessage>(shards);
        while (pending.TryDequeue(out var shard))
        {
            await _core.Fanout.ProcessAsync(shard, CancellationToken.None);
            messages++;
            foreach (var next in await _core.ReceiveFanoutsAsync())
            {
                pending.Enqueue(next);
            }
        }

        var deliveries = await _core.ReceiveDeliveriesAsync();
        Assert.HasCount(Inboxes, deliveries, "one delivery per server, though each has two followers");
        Assert.HasCount(Inboxes, deliveries.Select(d => d.Inbox).Distinct().ToList());
        Assert.IsLessThan(20, messages);
    }

    [TestMethod]
    public async Task An_account_followed_before_inbox_sets_fans_out_over_its_followers_once_and_builds_its_set()
    {
        var sender = NewSender();
        var table = await _core.Services.Tables.GetAsync(StorageNames.FollowersTable);
        foreach (var n in Enumerable.Range(0, 30))
        {
            var actor = Actor($"old{n % 3}.example", n, true);
            var (pk, rk) = StorageKeys.Follower(sender, actor.Id);
            await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["ActorId"] = actor.Id, ["Inbox"] = actor.Inbox, ["SharedInbox"] = actor.SharedInbox, ["CreatedAt"] = FederationCore.Start });
        }

        await _core.Fanout.ProcessAsync(new FanoutMessage(sender, Activity, null, null, null, 0), CancellationToken.None);
        Assert.HasCount(3, await _core.ReceiveDeliveriesAsync());
        Assert.IsTrue(await _core.Followers.Inboxes.IsBuiltAsync(sender, CancellationToken.None));

        // A follower leaving one of the three servers keeps it; the second fan-out reads the set.
        Assert.IsTrue(await _core.Followers.RemoveAsync(sender, Actor("old0.example", 0, true).Id, CancellationToken.None));
        await _core.Fanout.ProcessAsync(new FanoutMessage(sender, Activity, null, null, null, 0), CancellationToken.None);
        CollectionAssert.AreEquivalent(new[] { "https://old0.example/inbox", "https://old1.example/inbox", "https://old2.example/inbox" }, (await _core.ReceiveDeliveriesAsync()).Select(d => d.Inbox).ToList());
    }
}
