using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// A boost by an actor nobody here follows is not looked up (<see cref="FollowingStore.Followed"/>, issue 17: inbound Announce
/// at most 10 transactions), and a boost by an actor a local account follows reaches its home as before: at once when the
/// follow was accepted in this process, within <see cref="FollowedActorStore.Lifetime"/> when accepted on another
/// instance. Two service providers over one storage prefix are two instances.
/// </summary>
[TestClass]
public sealed class FollowedActorStoreTests
{
    private const string Public = "https://www.w3.org/ns/activitystreams#Public";

    [TestMethod]
    public async Task An_announce_of_a_local_post_by_an_actor_nobody_here_follows_reads_no_followers()
    {
        using var transactions = new StorageTransactions();
        var here = Instance(TestStorage.NewPrefix(), TimeProvider.System);
        await using var services = here.Services;
        var (_, post) = await PostAsync(here);
        var announces = services.GetRequiredService<AnnounceProcessor>();
        await announces.ApplyAsync(Announce(here, Booster("first"), post, 1), CancellationToken.None); // reads the set

        var tag = "announce-" + Guid.NewGuid().ToString("N");
        StorageTransactions.TagFlow(tag);
        ActivityOutcome outcome;
        try
        {
            outcome = await announces.ApplyAsync(Announce(here, Booster("second"), post, 2), CancellationToken.None);
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }

        Assert.IsInstanceOfType<ActivityOutcome.Ignored>(outcome);
        Assert.AreEqual(0, transactions.Of(tag), "nobody here follows it (before: the followers query, 1)");
    }

    [TestMethod]
    public async Task A_boost_reaches_the_home_of_a_follower_accepted_in_this_process_at_once()
    {
        var here = Instance(TestStorage.NewPrefix(), TimeProvider.System);
        await using var services = here.Services;
        var (author, post, reader, booster) = await BoostedBeforeTheFollowAsync(here);
        var announces = services.GetRequiredService<AnnounceProcessor>();

        await FollowAcceptedAsync(here, reader, booster);
        Assert.AreEqual(ActivityOutcome.Done, await announces.ApplyAsync(Announce(here, booster, post, 2), CancellationToken.None));

        Assert.AreEqual(1, await HomeRowsAsync(here, reader), "the boost in the follower's home");
        Assert.AreEqual(0, await HomeRowsAsync(here, author), "nobody else's");
    }

    [TestMethod]
    public async Task A_boost_reaches_the_home_of_a_follower_accepted_on_another_instance_within_the_lifetime()
    {
        var prefix = TestStorage.NewPrefix();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var here = Instance(prefix, time);
        var there = Instance(prefix, time);
        await using var hereServices = here.Services;
        await using var thereServices = there.Services;
        var (_, post, reader, booster) = await BoostedBeforeTheFollowAsync(here);
        var announces = hereServices.GetRequiredService<AnnounceProcessor>();

        await FollowAcceptedAsync(there, reader, booster);
        time.Advance(FollowedActorStore.Lifetime / 2);
        await announces.ApplyAsync(Announce(here, booster, post, 2), CancellationToken.None);
        Assert.AreEqual(0, await HomeRowsAsync(here, reader), "within the lifetime the set read before may not know the follow");

        time.Advance(FollowedActorStore.Lifetime / 2);
        Assert.AreEqual(ActivityOutcome.Done, await announces.ApplyAsync(Announce(here, booster, post, 3), CancellationToken.None));
        Assert.AreEqual(1, await HomeRowsAsync(here, reader), "after it the set is read again");

        // An unfollow applies at once: a followed actor's boosts are looked up every time.
        await thereServices.GetRequiredService<FollowingStore>().RemoveAsync(reader.Id, booster, CancellationToken.None);
        await announces.ApplyAsync(Announce(here, booster, post, 4), CancellationToken.None);
        Assert.AreEqual(1, await HomeRowsAsync(here, reader), "no boost after the unfollow");
    }

    private static (ServiceProvider Services, InstanceUrls Urls) Instance(string prefix, TimeProvider time)
    {
        var services = new ServiceCollection().AddSingleton(time).AddFedi(TestStorage.Configuration(prefix)).BuildServiceProvider();
        return (services, services.GetRequiredService<InstanceUrls>());
    }

    /// <summary>A local post, a reader and a booster the instance knows, whose first boost read the set before any follow.</summary>
    private static async Task<(LocalAccount Author, string PostUri, LocalAccount Reader, string Booster)> BoostedBeforeTheFollowAsync((ServiceProvider Services, InstanceUrls Urls) here)
    {
        var (author, post) = await PostAsync(here);
        var reader = await AccountAsync(here);
        var booster = Booster("followed");
        await KnowAsync(here, booster);
        Assert.IsInstanceOfType<ActivityOutcome.Ignored>(await here.Services.GetRequiredService<AnnounceProcessor>().ApplyAsync(Announce(here, booster, post, 1), CancellationToken.None));
        return (author, post, reader, booster);
    }

    private static string Booster(string name) => $"https://remote.example/users/{name}{Guid.NewGuid():N}";

    private static async Task<LocalAccount> AccountAsync((ServiceProvider Services, InstanceUrls Urls) instance) =>
        (await instance.Services.GetRequiredService<AccountStore>().CreateAsync(new NewAccount("f" + Guid.NewGuid().ToString("N")[..10], "Correct-Horse-42-battery"))).Account!;

    private static async Task<(LocalAccount Author, string PostUri)> PostAsync((ServiceProvider Services, InstanceUrls Urls) instance)
    {
        var author = await AccountAsync(instance);
        var time = instance.Services.GetRequiredService<TimeProvider>();
        var status = new Status { Id = instance.Services.GetRequiredService<SnowflakeIds>().Next(), AccountId = author.Id, Text = "Storm warning", ContentHtml = "<p>Storm warning</p>", CreatedAt = time.GetUtcNow() };
        await instance.Services.GetRequiredService<StatusStore>().AddAsync(status, CancellationToken.None);
        return (author, instance.Urls.Status(author.Username, status.Id));
    }

    private static Task KnowAsync((ServiceProvider Services, InstanceUrls Urls) instance, string actorId) =>
        instance.Services.GetRequiredService<RemoteActorStore>().PutAsync(
            new RemoteActor(actorId, "Person", "booster", "Booster", actorId + "/inbox", null, actorId, actorId + "#main-key", null, null, null, instance.Services.GetRequiredService<TimeProvider>().GetUtcNow()),
            CancellationToken.None);

    /// <summary>The reader asks to follow the actor and the actor's Accept is handled on <paramref name="instance"/>.</summary>
    private static async Task FollowAcceptedAsync((ServiceProvider Services, InstanceUrls Urls) instance, LocalAccount reader, string actorId)
    {
        var followId = instance.Urls.Actor(reader.Username) + "#follows/" + Guid.NewGuid().ToString("N");
        await instance.Services.GetRequiredService<FollowingStore>().AddAsync(reader.Id, actorId, RemoteAccountIds.For(actorId), followId, accepted: false, CancellationToken.None);
        var accept = new JsonObject
        {
            ["id"] = actorId + "#accepts/" + Guid.NewGuid().ToString("N"),
            ["type"] = "Accept",
            ["actor"] = actorId,
            ["object"] = new JsonObject { ["id"] = followId, ["type"] = "Follow", ["actor"] = instance.Urls.Actor(reader.Username), ["object"] = actorId },
        };
        var handler = instance.Services.GetServices<IActivityHandler>().OfType<AcceptHandler>().Single();
        Assert.AreEqual(ActivityOutcome.Done, await handler.HandleAsync(Inbound(instance, accept), CancellationToken.None));
    }

    private static InboundActivity Announce((ServiceProvider Services, InstanceUrls Urls) instance, string actorId, string postUri, int n) =>
        Inbound(instance, new JsonObject
        {
            ["id"] = $"{actorId}/statuses/{n}/activity",
            ["type"] = "Announce",
            ["actor"] = actorId,
            ["object"] = postUri,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(actorId + "/followers"),
        });

    private static InboundActivity Inbound((ServiceProvider Services, InstanceUrls Urls) instance, JsonObject activity)
    {
        var actorId = (string)activity["actor"]!;
        var json = activity.ToJsonString();
        return new InboundActivity(JsonDocument.Parse(json).RootElement, actorId, new InboxMessage(json, null, actorId, instance.Services.GetRequiredService<TimeProvider>().GetUtcNow()));
    }

    private static async Task<int> HomeRowsAsync((ServiceProvider Services, InstanceUrls Urls) instance, LocalAccount account) =>
        (await instance.Services.GetRequiredService<TimelineStore>().PageAsync(TimelineStore.Home(account.Id), null, null, null, 20, CancellationToken.None)).Count;
}
