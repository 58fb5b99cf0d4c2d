using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario B: a local account with <c>followers</c> followers spread evenly over <c>inboxes</c> servers
/// (<c>hostNNN.bench.invalid</c>, each with a shared inbox) posts once. The fan-out queue function reads the account's
/// inbox set (one row per server; past 1,000 split into shards that run at once) and enqueues one delivery per shared inbox; then the delivery queue function signs and POSTs each of them to
/// the loopback sink with several receive loops at once, as one host instance would. The post goes through
/// <see cref="StatusService"/>, so the deliveries carry the status they are about and re-check it as in production.
/// </summary>
public sealed class FanoutScenario(BenchInstance instance, FakeRemoteServer remote, StorageCounter counter, int? storagePid)
{
    /// <summary>Entity group transactions hold at most 100 entities of one partition.</summary>
    private const int SeedBatch = 100;

    /// <summary>A public post near the 500-character limit, as an agency's warning is.</summary>
    private const string StormWarning =
        "Storm warning for the coast from Friday 18:00 until Saturday 12:00: gusts up to 110 km/h, storm surge of 1.5 to 2 m above "
        + "mean high water. Ferries to the islands will not run; the harbour road and the beach car parks close at 16:00. Secure "
        + "loose objects, stay away from dykes and the shore, and follow the instructions of the emergency services. Updates "
        + "follow here and on the state's warning app. #Sturmflut #Warnung";

    public async Task<FanoutResults> RunAsync(int followers, int inboxes, int concurrency, int signatureCount, int baselineReads)
    {
        var account = await Phase.RunAsync("setup", () => instance.CreateAccountAsync("bulletin"));

        var seed = Stopwatch.StartNew();
        await Phase.RunAsync(FanoutResults.SeedPhase, () => SeedAsync(account.Id, followers, inboxes));
        seed.Stop();

        // A real post: stored, then its Create fanned out with the status it is about, so every delivery re-checks it.
        var post = Stopwatch.StartNew();
        var status = await Phase.RunAsync(FanoutResults.PostPhase, async () =>
            (await instance.Services.GetRequiredService<StatusService>().CreateAsync(account, new NewStatus(StormWarning), CancellationToken.None)).Status
                ?? throw new InvalidOperationException("the post was refused"));
        post.Stop();
        var activity = instance.Services.GetRequiredService<ActivitySigner>().Sign(account, instance.Services.GetRequiredService<NoteMapper>().Create(status, account));
        var pollers = Math.Max(1, (int)Math.Ceiling(concurrency / (double)instance.QueueBatchSize));
        remote.Reset();
        var cpuStart = CpuSample.Take(storagePid);
        var fanout = Stopwatch.StartNew();
        var pages = await Phase.RunAsync(FanoutResults.FanoutPhase, async () => (await instance.DrainAsync(instance.Queues.Fanout, pollers)).Messages);
        fanout.Stop();
        var enqueued = counter.Count(FanoutResults.FanoutPhase, k => k is { Service: StorageOperation.Queue, Operation: "PutMessage" } && k.Resource == instance.Queues.Deliver);

        var inline = remote.Posts;

        // The deliveries as one host instance runs them: up to batchSize + newBatchThreshold in flight (host.json).
        var delivery = Stopwatch.StartNew();
        var drained = await Phase.RunAsync(FanoutResults.DeliverPhase, () => instance.DrainAsHostAsync(instance.Queues.Deliver));
        delivery.Stop();
        var drain = new DrainResult(drained, 0, 0);
        var cpu = CpuSample.Between(cpuStart, CpuSample.Take(storagePid));
        var (posts, distinct, most, unsigned) = (remote.Posts, remote.DistinctInboxes, remote.MaxPostsPerInbox, remote.UnsignedPosts);

        var healthTable = await instance.Services.GetRequiredService<FediTables>().GetAsync(StorageNames.DeliveryTable);
        var baseline = await Phase.RunAsync(FanoutResults.BaselinePhase, () => StorageBaseline.MeasureAsync(healthTable, baselineReads, pollers * instance.QueueBatchSize));

        // The floor of a delivery on this machine, measured now: its RSA signature on one core, and its POST over loopback.
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var sampleInbox = new Uri(remote.SharedInbox(HostName(0, inboxes)));
        var signatures = SignatureBenchmark.Measure(account.RsaPrivateKeyPem, instance.Urls.ActorKey(account.Username), sampleInbox, body, signatureCount);
        var loopback = await LoopbackPostBenchmark.MeasureAsync(new Uri($"http://127.0.0.1:{remote.Port}/inbox"), body, signatureCount);

        return new FanoutResults(
            followers, inboxes, seed.Elapsed, post.Elapsed, pages, fanout.Elapsed, enqueued + inline, pollers, instance.HostInFlight, delivery.Elapsed, drain,
            posts, distinct, most, unsigned, cpu, signatures, loopback,
            baseline, ProofBenchmark.Measure(account, instance.Urls, activity, signatureCount));
    }

    /// <summary>Server of follower <paramref name="index"/>: round robin, so every server has followers/inboxes of them.</summary>
    public static string HostName(int index, int inboxes)
    {
        var width = Math.Max(3, (inboxes - 1).ToString(CultureInfo.InvariantCulture).Length);
        return "host" + (index % inboxes).ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + BenchInstance.BenchDomain;
    }

    /// <summary>
    /// Follower rows and the inbox set as <see cref="FollowerStore.AddAsync"/> writes them, inserted 100 per entity group
    /// transaction instead of one by one; the reverse index (not read by the fan-out) is left out. Then the follower counter, once.
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

        // The inbox set, as FollowerStore keeps it (since 2026-12-06): the fan-out reads one row per server.
        var inboxSet = instance.Services.GetRequiredService<FollowerStore>().Inboxes;
        var asFollowers = Enumerable.Range(0, followers).Select(i =>
        {
            var host = HostName(i, inboxes);
            var actorId = remote.ActorId(host, $"u{i}");
            return new Follower(actorId, actorId + "/inbox", remote.SharedInbox(host), null, now);
        }).ToList();
        await Parallel.ForEachAsync(asFollowers.Chunk(10_000), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
            await inboxSet.AddManyAsync(accountId, chunk, ct));
        await inboxSet.MarkBuiltAsync(accountId, CancellationToken.None);
        await instance.Services.GetRequiredService<AccountStore>().AdjustCountersAsync(accountId, followers: followers);
    }
}
