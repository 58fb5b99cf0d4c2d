using System.Text.Json;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17: an inbound <c>Follow</c> costs at most 18 storage transactions end to end. The handler answers it itself
/// (no delivery message unless the POST fails), the count is tried at once on the account row it read, and no mark is
/// written on the follower row (the count's marker row says it was counted); a crash at any step still ends with one
/// follower, counted once, notified once and answered. The core services as the host wires them, over Azurite with
/// injected faults, and a <see cref="FakePeer"/> as the follower's server.
/// </summary>
[TestClass]
public sealed class InboundFollowTests
{
    private const string BaseUrl = "https://social.example.test";

    private sealed class Core : FaultyCore
    {
        private Core(FakePeer peer) => Peer = peer;

        public FakePeer Peer { get; }

        public static async Task<Core> StartAsync() => new(await FakePeer.StartAsync());

        public string Table(string name) => Get<FediTables>().PhysicalName(name);

        /// <summary>The inbox function's handling of a Follow of <paramref name="account"/> by <paramref name="actor"/>.</summary>
        public Task<ActivityOutcome> FollowAsync(PeerActor actor, LocalAccount account, string id)
        {
            var json = JsonSerializer.Serialize(new { id, type = "Follow", actor = actor.Id, @object = $"{BaseUrl}/users/{account.Username}" });
            var handler = Services.GetServices<IActivityHandler>().OfType<FollowHandler>().Single();
            return handler.HandleAsync(new InboundActivity(JsonDocument.Parse(json).RootElement, actor.Id, new InboxMessage(json, null, actor.Id, DateTimeOffset.UtcNow)), CancellationToken.None);
        }

        public IReadOnlyList<PeerRequest> Answers(PeerActor actor) => Peer.PostsTo(actor.InboxPath);

        public async Task<int> DeliveriesQueuedAsync()
        {
            var queue = Get<StorageAccount>().RawQueues.GetQueueClient(Get<FederationQueues>().Deliver);
            return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        }

        public async Task<long> FollowersCountAsync(LocalAccount account) => (await Get<AccountStore>().GetByIdAsync(account.Id, CancellationToken.None))!.FollowersCount;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Peer.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task A_Follow_is_answered_by_the_handler_itself_with_nothing_in_the_delivery_queue_and_a_repeat_is_answered_again()
    {
        await using var core = await Core.StartAsync();
        var account = await core.AccountAsync();
        var ann = core.Peer.AddActor("ann");

        Assert.AreEqual(ActivityOutcome.Done, await core.FollowAsync(ann, account, ann.Id + "#follows/1"));
        var answer = core.Answers(ann).Single();
        Assert.AreEqual("Accept", JsonDocument.Parse(answer.BodyText).RootElement.GetProperty("type").GetString());
        Assert.AreEqual(0, await core.DeliveriesQueuedAsync(), "the Accept was posted, not queued");

        // The follower's server missed our Accept and follows again: answered again, counted and notified once. (The same
        // Accept within one second is one delivery to DeliveredLedger, as a reappearing delivery message is.)
        Assert.AreEqual(ActivityOutcome.Done, await core.FollowAsync(ann, account, ann.Id + "#follows/2"));
        Assert.HasCount(2, core.Answers(ann));
        Assert.AreEqual(1, await core.FollowersCountAsync(account));
        Assert.AreEqual(1, await core.NotificationsAsync(account.Id));
    }

    [TestMethod]
    public async Task An_Accept_whose_POST_fails_is_queued_for_its_retry()
    {
        await using var core = await Core.StartAsync();
        var account = await core.AccountAsync();
        var bea = core.Peer.AddActor("bea");
        core.Peer.Script(bea.InboxPath, 503);

        Assert.AreEqual(ActivityOutcome.Done, await core.FollowAsync(bea, account, bea.Id + "#follows/1"));
        Assert.HasCount(1, core.Answers(bea));
        Assert.AreEqual(1, await core.DeliveriesQueuedAsync(), "the retry waits in the delivery queue");
        Assert.AreEqual(1, await core.FollowersCountAsync(account));
    }

    [TestMethod]
    public async Task A_Follow_interrupted_at_any_step_is_counted_notified_and_answered_once_it_is_retried()
    {
        await using var core = await Core.StartAsync();
        var account = await core.AccountAsync();
        var followers = core.Table(StorageNames.FollowersTable);

        // Each step of the follow fails once (before storage sees it, or after it applied it and the answer was lost); the
        // queue runs the message again until it is done.
        (string Step, Func<string, bool> Match, bool After)[] steps =
        [
            ("the follower row", r => r.StartsWith("POST /" + followers, StringComparison.Ordinal), true),
            ("the reverse index", r => r.StartsWith("PUT /" + followers, StringComparison.Ordinal) && r.Contains("by-", StringComparison.Ordinal), false),
            ("the inbox set", r => r.StartsWith("PUT /" + followers, StringComparison.Ordinal) && r.Contains("inbox", StringComparison.Ordinal), false),
            ("the notification", r => r.StartsWith("POST /$batch", StringComparison.Ordinal), false),
            ("the count", r => r.StartsWith("POST /$batch", StringComparison.Ordinal), true),
        ];
        var n = 0;
        foreach (var (step, match, after) in steps)
        {
            var actor = core.Peer.AddActor($"u{n++}");
            var id = actor.Id + "#follows/1";
            core.Faults.Fail(match, times: 1, status: 400, afterSending: after);
            await Assert.ThrowsAsync<RequestFailedException>(() => core.FollowAsync(actor, account, id), step);
            Assert.IsEmpty(core.Answers(actor), $"{step}: nothing answered before the follower is stored");
            Assert.AreEqual(ActivityOutcome.Done, await core.FollowAsync(actor, account, id), step);
            Assert.HasCount(1, core.Answers(actor), step);
            Assert.AreEqual(n, await core.FollowersCountAsync(account), $"{step}: counted once");
            Assert.AreEqual(n, await core.NotificationsAsync(account.Id), $"{step}: notified once");
        }

        Assert.AreEqual(0, await core.DeliveriesQueuedAsync());
    }

    [TestMethod]
    public async Task A_follower_of_an_account_just_read_costs_five_transactions_leaves_the_counted_copy_and_a_stale_read_still_counts_exactly()
    {
        await using var core = await Core.StartAsync();
        var account = await core.AccountAsync();
        var store = core.Get<FollowerStore>();
        int Transactions(int from) => core.Faults.Attempts.Skip(from).Count(r => r != "POST /Tables"); // a table's creation: once per process
        static RemoteActor Follower(int n) => new($"https://remote.example/users/u{n}", "Person", $"u{n}", null, $"https://remote.example/users/u{n}/inbox", "https://remote.example/inbox", null, null, null, null, null, DateTimeOffset.UtcNow);

        // Insert, reverse index, inbox set (2), the count's transaction at the account's ETag: no read, no mark.
        var read = (await core.Get<AccountStore>().GetByIdAsync(account.Id, CancellationToken.None))!;
        var before = core.Faults.Attempts.Count;
        Assert.IsTrue(await store.AddAsync(read, Follower(1), "f1", null, CancellationToken.None));
        Assert.AreEqual(5, Transactions(before), string.Join("\n", core.Faults.Attempts.Skip(before)));
        before = core.Faults.Attempts.Count;
        Assert.AreEqual(1, (await core.Get<AccountStore>().GetByIdRecentAsync(account.Id, CancellationToken.None))!.FollowersCount);
        Assert.AreEqual(0, Transactions(before), "the process's copy of the account is the counted row");

        // Without the account: the count reads the row first (6; 7 before the mark was dropped).
        before = core.Faults.Attempts.Count;
        Assert.IsTrue(await store.AddAsync(account.Id, Follower(2), "f2", CancellationToken.None));
        Assert.AreEqual(6, Transactions(before), string.Join("\n", core.Faults.Attempts.Skip(before)));

        // The account read before the two follows above: its ETag is stale, the count reads the row again and is exact.
        Assert.IsTrue(await store.AddAsync(read, Follower(3), "f3", null, CancellationToken.None));
        Assert.IsFalse(await store.AddAsync(read, Follower(3), "f3", null, CancellationToken.None), "a repeat (one read of the marker) changes nothing");
        Assert.AreEqual(3, await core.FollowersCountAsync(account));
        Assert.IsTrue(await store.RemoveAsync(account.Id, Follower(1).Id, CancellationToken.None));
        Assert.AreEqual(2, await core.FollowersCountAsync(account));
    }
}
