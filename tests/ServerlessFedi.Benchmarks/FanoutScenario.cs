using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario B: a local account with <c>followers</c> followers spread evenly over <c>inboxes</c> servers
/// (<c>hostNNN.bench.invalid</c>, each with a shared inbox) posts once. The fan-out queue function pages through the
/// followers and enqueues one delivery per shared inbox; then the delivery queue function signs and POSTs each of them to
/// the loopback sink with several receive loops at once, as one host instance would.
/// </summary>
public sealed class FanoutScenario(BenchInstance instance, FakeRemoteServer remote, StorageCounter counter, int? storagePid)
{
    /// <summary>Entity group transactions hold at most 100 entities of one partition.</summary>
    private const int SeedBatch = 100;

    public async Task<FanoutResults> RunAsync(int followers, int inboxes, int concurrency, int signatureCount, int baselineReads)
    {
        var account = await Phase.RunAsync("setup", () => instance.CreateAccountAsync("bulletin"));

        var seed = Stopwatch.StartNew();
        await Phase.RunAsync(FanoutResults.SeedPhase, () => SeedAsync(account.Id, followers, inboxes));
        seed.Stop();

        var activity = CreateNote(account);
        var fanout = Stopwatch.StartNew();
        var pages = await Phase.RunAsync(FanoutResults.FanoutPhase, async () =>
        {
            await instance.Services.GetRequiredService<ActivityPublisher>().PublishAsync(account, activity, null, skipFollowers: false, CancellationToken.None);
            return (await instance.DrainAsync(instance.Queues.Fanout, 1)).Messages;
        });
        fanout.Stop();
        var enqueued = counter.Count(FanoutResults.FanoutPhase, k => k is { Service: StorageOperation.Queue, Operation: "PutMessage" } && k.Resource == instance.Queues.Deliver);

        remote.Reset();
        var pollers = Math.Max(1, (int)Math.Ceiling(concurrency / (double)instance.QueueBatchSize));
        var cpuStart = CpuSample.Take(storagePid);
        var delivery = Stopwatch.StartNew();
        var drain = await Phase.RunAsync(FanoutResults.DeliverPhase, () => instance.DrainAsync(instance.Queues.Deliver, pollers));
        delivery.Stop();
        var cpu = CpuSample.Between(cpuStart, CpuSample.Take(storagePid));

        var healthTable = await instance.Services.GetRequiredService<FediTables>().GetAsync(StorageNames.DeliveryTable);
        var baseline = await Phase.RunAsync(FanoutResults.BaselinePhase, () => StorageBaseline.MeasureAsync(healthTable, baselineReads, pollers * instance.QueueBatchSize));

        var sampleInbox = new Uri(remote.SharedInbox(HostName(0, inboxes)));
        var signatures = SignatureBenchmark.Measure(
            account.RsaPrivateKeyPem, instance.Urls.ActorKey(account.Username), sampleInbox, Encoding.UTF8.GetBytes(activity.ToJsonString()), signatureCount);

        return new FanoutResults(
            followers, inboxes, seed.Elapsed, pages, fanout.Elapsed, enqueued, pollers, instance.QueueBatchSize, delivery.Elapsed, drain,
            remote.Posts, remote.DistinctInboxes, remote.MaxPostsPerInbox, remote.UnsignedPosts, cpu, signatures,
            baseline, ProofBenchmark.Measure(account, instance.Urls, activity, signatureCount));
    }

    /// <summary>Server of follower <paramref name="index"/>: round robin, so every server has followers/inboxes of them.</summary>
    public static string HostName(int index, int inboxes)
    {
        var width = Math.Max(3, (inboxes - 1).ToString(CultureInfo.InvariantCulture).Length);
        return "host" + (index % inboxes).ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + BenchInstance.BenchDomain;
    }

    /// <summary>
    /// Follower rows as <see cref="FollowerStore.AddAsync"/> writes them, inserted 100 per entity group transaction instead
    /// of one by one; the reverse index (not read by the fan-out) is left out. Then the follower counter, once.
    /// </summary>
    private async Task SeedAsync(string accountId, int followers, int inboxes)
    {
        var table = await instance.Services.GetRequiredService<FediTables>().GetAsync(StorageNames.FollowersTable);
        var now = DateTimeOffset.UtcNow;
        var rows = Enumerable.Range(0, followers).Select(i =>
        {
            var host = HostName(i, inboxes);
            var actorId = remote.ActorId(host, $"u{i}");
            var (pk, rk) = StorageKeys.Follower(accountId, actorId);
            return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(pk, rk)
            {
                ["ActorId"] = actorId,
                ["Inbox"] = actorId + "/inbox",
                ["SharedInbox"] = remote.SharedInbox(host),
                ["FollowActivityId"] = $"http://{host}:{remote.Port}/follows/u{i}",
                ["CreatedAt"] = now,
            });
        });
        await Parallel.ForEachAsync(rows.Chunk(SeedBatch), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch, ct));
        await instance.Services.GetRequiredService<AccountStore>().AdjustCountersAsync(accountId, followers: followers);
    }

    /// <summary>A public post of ordinary size (about 1.2 KB of JSON), addressed as a public Note is.</summary>
    private JsonObject CreateNote(LocalAccount account)
    {
        var actor = instance.Urls.Actor(account.Username);
        var id = $"{actor}/statuses/{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        var published = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = id + "/activity",
            ["type"] = "Create",
            ["actor"] = actor,
            ["published"] = published,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["cc"] = new JsonArray(instance.Urls.Followers(account.Username)),
            ["object"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "Note",
                ["attributedTo"] = actor,
                ["published"] = published,
                ["url"] = $"{instance.Urls.Profile(account.Username)}/{id[(id.LastIndexOf('/') + 1)..]}",
                ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
                ["cc"] = new JsonArray(instance.Urls.Followers(account.Username)),
                ["sensitive"] = false,
                ["content"] = "<p>" + string.Concat(Enumerable.Repeat("The road works on the high street end on Friday; buses return to their usual stops. ", 8)) + "</p>",
                ["contentMap"] = new JsonObject { ["en"] = "<p>Road works end on Friday.</p>" },
            },
        };
    }
}
