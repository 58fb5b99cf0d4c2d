using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 17, item 3: an inbound activity that must wait (its actor cannot be fetched: the server is down) is retried
/// with growing delays, as deliveries are, for hours rather than the queue's five attempts 30 s apart; when the rule
/// gives up it lands in <c>inbox-poison</c> with the reason. The queued retries are handed to the processor as the
/// queue would hand them after their delays, with the fake clock moved on by at least that much.
/// </summary>
[TestClass]
public sealed class InboundRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static FakePeer _peer = null!;

    [ClassInitialize]
    public static async Task StartPeer(TestContext _) => _peer = await FakePeer.StartAsync();

    [ClassCleanup]
    public static async Task StopPeer() => await _peer.DisposeAsync();

    private sealed class Core(ServiceProvider services, FakeTimeProvider time) : IAsyncDisposable
    {
        public FakeTimeProvider Time => time;

        public InboxProcessor Inbox => services.GetRequiredService<InboxProcessor>();

        public AccountStore Accounts => services.GetRequiredService<AccountStore>();

        public FollowerStore Followers => services.GetRequiredService<FollowerStore>();

        public FederationQueues Queues => services.GetRequiredService<FederationQueues>();

        public Azure.Storage.Queues.QueueClient Raw(string queue) => services.GetRequiredService<StorageAccount>().RawQueues.GetQueueClient(queue);

        public async Task<int> CountAsync(string queue) =>
            await Raw(queue).ExistsAsync() ? (await Raw(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

        public async ValueTask DisposeAsync()
        {
            foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + "-poison" }))
            {
                await Raw(queue).DeleteIfExistsAsync();
            }

            await services.DisposeAsync();
        }
    }

    private static Core NewCore()
    {
        var time = new FakeTimeProvider(Start);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddFedi(TestStorage.Configuration(TestStorage.NewPrefix())).BuildServiceProvider();
        return new Core(services, time);
    }

    private static InboxMessage FollowOf(PeerActor actor, string username, DateTimeOffset at)
    {
        var follow = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = actor.Id + "#follows/" + Guid.NewGuid().ToString("N"),
            ["type"] = "Follow",
            ["actor"] = actor.Id,
            ["object"] = $"https://social.example.test/users/{username}",
        };
        return new InboxMessage(follow.ToJsonString(), null, actor.Id, at);
    }

    [TestMethod]
    public async Task A_follow_from_a_server_down_for_hours_is_accepted_once_it_returns()
    {
        await using var core = NewCore();
        var name = "c" + Guid.NewGuid().ToString("N")[..10];
        var actor = _peer.AddActor(name);
        var account = (await core.Accounts.CreateAsync(new NewAccount("agency" + name[..6], "Correct-Horse-42-battery", "Agency"))).Account!;

        // Down for eight attempts: 30 s, 2, 10 and 30 minutes, then hours. The queue's own five tries 30 s apart end after 2.5 minutes.
        _peer.Serve($"/users/{name}", _peer.DocumentOf(name), 503, 503, 503, 503, 503, 503, 503, 503);
        var message = FollowOf(actor, account.Username, core.Time.GetUtcNow());
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var before = await core.CountAsync(core.Queues.Inbox);
            var outcome = await core.Inbox.RunAsync(message, CancellationToken.None);
            Assert.IsInstanceOfType<ActivityOutcome.RetryLater>(outcome, $"attempt {attempt} while the server is down");
            Assert.AreEqual(before + 1, await core.CountAsync(core.Queues.Inbox), "the attempt queued its retry");
            var delay = RetryPolicy.NextDelay(attempt, core.Time.GetUtcNow() - message.ReceivedAt, "any")!.Value;
            delays.Add(delay);
            core.Time.Advance(delay * 1.25);
            message = message with { Attempt = attempt + 1 };
        }

        Assert.IsGreaterThan(TimeSpan.FromHours(8), core.Time.GetUtcNow() - Start, "the server was down for hours");
        Assert.IsFalse(await core.Followers.IsFollowerAsync(account.Id, actor.Id, CancellationToken.None));

        var last = await core.Inbox.RunAsync(message, CancellationToken.None);

        Assert.AreEqual(ActivityOutcome.Done, last);
        Assert.IsTrue(await core.Followers.IsFollowerAsync(account.Id, actor.Id, CancellationToken.None), "accepted once its server returned");
        Assert.AreEqual(0, await core.CountAsync(core.Queues.Inbox + "-poison"));
    }

    [TestMethod]
    public async Task An_activity_that_waits_past_the_retry_window_goes_to_the_poison_queue_with_its_reason()
    {
        await using var core = NewCore();
        var name = "g" + Guid.NewGuid().ToString("N")[..10];
        var actor = _peer.AddActor(name);
        var account = (await core.Accounts.CreateAsync(new NewAccount("agency" + name[..6], "Correct-Horse-42-battery", "Agency"))).Account!;
        _peer.Serve($"/users/{name}", null, Enumerable.Repeat(503, 20).ToArray());
        var message = FollowOf(actor, account.Username, core.Time.GetUtcNow());

        core.Time.Advance(TimeSpan.FromHours(49));
        await core.Inbox.RunAsync(message with { Attempt = RetryPolicy.MaxAttempts }, CancellationToken.None);

        var poisoned = (await core.Raw(core.Queues.Inbox + "-poison").ReceiveMessagesAsync(1)).Value.Single();
        var kept = FederationCore.Decode(poisoned.MessageText, QueueJsonContext.Default.InboxMessage);
        Assert.AreEqual(RetryPolicy.MaxAttempts, kept.Attempt);
        Assert.IsFalse(string.IsNullOrWhiteSpace(kept.LastFailure), "the reason is kept");
        Assert.AreEqual(message.Activity, kept.Activity);
        Assert.AreEqual(0, await core.CountAsync(core.Queues.Inbox), "no further retry");
    }
}
