using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>The results as Markdown: a summary per scenario, then every storage operation each stage sent.</summary>
public sealed class ReportWriter(BenchmarkOptions options, string storageDescription, string prefix, IReadOnlyList<OperationCount> operations)
{
    private readonly StringBuilder _text = new();

    /// <summary>The report of the scenarios that ran (<c>--only</c> leaves the others null).</summary>
    public string Write(FollowResults? follow, FanoutResults? fanout, IReadOnlyList<ActivityResults>? inbound)
    {
        Line($"# ServerlessFedi federation benchmark ({(options.Quick ? "quick" : "full")} run)");
        Line();
        Line($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, "
            + $"{RuntimeInformation.FrameworkDescription}; storage: {storageDescription}. Arguments: --followers {options.Followers} "
            + $"--inboxes {options.Inboxes} --follows {options.Follows} --activities {options.Activities} --concurrency {options.Concurrency}. {LoadAverage()}");
        Line();
        if (follow is not null)
        {
            WriteFollow(follow);
        }

        if (fanout is not null)
        {
            WriteFanout(fanout);
        }

        if (inbound is not null)
        {
            WriteInbound(inbound);
        }

        WriteOperations(follow, fanout, inbound ?? []);
        return _text.ToString();
    }

    private void WriteFollow(FollowResults r)
    {
        var receive = Count(FollowResults.ReceivePhase);
        var inbox = Count(FollowResults.InboxPhase);
        var accept = Count(FollowResults.AcceptPhase);
        var warm = Count(FollowResults.WarmupReceive) + Count(FollowResults.WarmupInbox) + Count(FollowResults.WarmupAccept);
        var n = (double)r.Follows;
        Line($"## Scenario A: inbound Follow ({r.Follows:N0} Follows from new remote actors, one at a time)");
        Line();
        Line("| measure | value |");
        Line("|---|---|");
        Line($"| followers recorded (counter / rows) / Accepts delivered | {r.FollowerCount:N0} / {r.FollowerRows:N0} / {r.AcceptsDelivered:N0}{(r.Passed ? "" : " **MISMATCH**")} |");
        Line($"| storage transactions per Follow: receive (HTTP inbox) | {receive / n:0.##} |");
        Line($"| storage transactions per Follow: inbox queue function | {inbox / n:0.##} |");
        Line($"| storage transactions per Follow: Accept delivery | {accept / n:0.##} |");
        Line($"| storage transactions per Follow: total | {(receive + inbox + accept) / n:0.##} |");
        Line($"| first Follow in a process: tables, queues and instance actor created | {warm:N0} transactions (+{warm - ((receive + inbox + accept) / n):0.##}) |");
        Row("receive: POST to 202 (median / p95)", Percentiles.Of([.. r.Receive]));
        Row("inbox queue function (median / p95)", Percentiles.Of([.. r.Processing]));
        Row("Accept delivery (median / p95)", Percentiles.Of([.. r.Accept]));
        Row("whole Follow, queue waits excluded (median / p95)", Percentiles.Of([.. r.Total]));
        Line($"| wall time of all {r.Follows:N0} Follows | {r.Elapsed.TotalSeconds:0.0} s ({r.Follows / r.Elapsed.TotalSeconds:0.0} Follows/s, serial) |");
        Line();
    }

    private void WriteFanout(FanoutResults r)
    {
        var fanout = Count(FanoutResults.FanoutPhase);
        var deliver = Count(FanoutResults.DeliverPhase);
        var d = (double)Math.Max(1, r.DeliveriesEnqueued);
        var cores = Environment.ProcessorCount;
        // The fan-out's pages make the deliveries themselves (retries and failures are delivery messages): both phases count.
        var wall = (r.FanoutTime + r.DeliveryTime).TotalSeconds;
        var signing = r.Signatures.SignerMicroseconds * r.Delivered / 1000.0;
        Line($"## Scenario B: fan-out of one post to {r.Followers:N0} followers on {r.Inboxes:N0} shared inboxes");
        Line();
        Line("| measure | value |");
        Line("|---|---|");
        Line($"| seeding (excluded) | {r.SeedTime.TotalSeconds:0.0} s, {Count(FanoutResults.SeedPhase):N0} transactions (100 rows per entity group transaction) |");
        Line($"| the post (API call: status rows, counters, timelines, guard, fan-out message; excluded) | {r.PostTime.TotalMilliseconds:N0} ms, {Count(FanoutResults.PostPhase):N0} transactions |");
        Line($"| deliveries enqueued + made by the fan-out itself | {r.DeliveriesEnqueued:N0}{(r.DeliveriesEnqueued == r.Inboxes ? "" : $" **expected {r.Inboxes:N0}**")} |");
        Line($"| fan-out: messages / rows read (inbox set) / range queries | {r.FanoutPages} / {r.Inboxes:N0} / {CountWhere(FanoutResults.FanoutPhase, "QueryEntities"):N0} |");
        Line($"| time until every delivery is made or enqueued (fan-out, {r.Pollers} receive loops) | {r.FanoutTime.TotalMilliseconds:N0} ms ({r.Followers / r.FanoutTime.TotalSeconds:N0} followers/s) |");
        Line($"| then the delivery queue (retries; the host's listener: up to batchSize + newBatchThreshold = {r.BatchSize} in flight) | {r.DeliveryTime.TotalMilliseconds:N0} ms |");
        Line($"| deliveries per second (from the fan-out's start to the last delivery) | {r.DeliveriesPerSecond:N0} |");
        Line($"| RSA-2048 signing floor on the {Environment.ProcessorCount} cores / deliveries per second as a share of it | {r.SigningFloorPerSecond:N0} per s / **{r.DeliveriesPerSecond / r.SigningFloorPerSecond:0.00}** |");
        Line($"| sink received (POSTs / distinct inboxes / unsigned) | {r.Delivered:N0} / {r.DistinctInboxes:N0} / {r.UnsignedPosts:N0}{(r.Passed ? "" : " **MISMATCH**")} |");
        Line($"| storage transactions per delivery: fan-out | {fanout / d:0.###} |");
        Line($"| storage transactions per delivery: delivery | {deliver / d:0.###} |");
        Line($"| storage transactions per delivery: total | {(fanout + deliver) / d:0.###} |");
        Line($"| receive calls for deliveries (of which empty) | {r.DeliveryDrain.Polls:N0} ({r.DeliveryDrain.EmptyPolls}) |");
        Line($"| storage baseline: point read one at a time / reads per second with 8 / {r.Baseline.Concurrency} in flight | {r.Baseline.SerialMs:0.0} ms / {r.Baseline.ReadsPerSecondAt8:N0} / {r.Baseline.ReadsPerSecond:N0} per s |");
        Line($"| storage transactions per second during fan-out and deliveries | {(fanout + deliver) / wall:N0} per s |");
        Line($"| RSA: HttpSignatureSigner on one delivery POST ({r.Signatures.Count:N0} signed, median of 10 rounds): wall / CPU | {r.Signatures.SignerMicroseconds:N0} µs / {r.Signatures.SignerCpuMicroseconds:N0} µs per signature |");
        Line($"| RSA: bare RSA-2048 SignData, same rounds | {r.Signatures.RsaMicroseconds:N0} µs per signature |");
        Line($"| FEP-8b32 proof: create on this Create(Note), {r.Proofs.ActivityBytes:N0} bytes signed (once per activity, not per delivery; {r.Proofs.Count:N0} runs) | {r.Proofs.CreateMicroseconds:N0} µs |");
        Line($"| FEP-8b32 proof: verify the same activity (once per received activity that has a proof) | {r.Proofs.VerifyMicroseconds:N0} µs |");
        Line($"| signing {r.Delivered:N0} deliveries on one core | {signing:N0} ms = {signing / (wall * 1000):P0} of the wall time from the fan-out's start |");
        Line($"| floor of one delivery: RSA-2048 signature on one core + loopback POST of the signed body (serial, median of 10 rounds) | {r.Signatures.RsaMicroseconds:N0} µs + {r.Loopback.Microseconds:N0} µs = {r.FloorMicroseconds:N0} µs: **{r.FloorPerSecond:N0} deliveries/s** |");
        Line($"| the same POST on a new connection each time (every delivery here goes to a server not yet connected to): wall / CPU, client and sink | {r.Loopback.NewConnectionMicroseconds:N0} µs / {r.Loopback.NewConnectionCpuMicroseconds:N0} µs |");
        Line($"| deliveries per second as a share of that floor | {r.DeliveriesPerSecond:N0} / {r.FloorPerSecond:N0} = **{r.DeliveriesPerSecond / r.FloorPerSecond:0.00}** |");
        var cpu = r.DeliveryCpu;
        var n = Math.Max(1, r.Delivered);
        var processPer = cpu.Process.TotalMicroseconds / n;
        var signer = r.Signatures.SignerCpuMicroseconds;
        var rest = processPer - signer - r.Loopback.CpuMicroseconds - r.Loopback.ConnectionCpuMicroseconds;
        Line($"| CPU per delivery, this process: signing {signer:N0} µs + POST, client and sink {r.Loopback.CpuMicroseconds:N0} µs + its new connection, both ends {r.Loopback.ConnectionCpuMicroseconds:N0} µs + the rest (the fan-out's pages, re-check, ledger, request building, storage SDK, thread pool, GC) (CPU times, serial, same run) | {processPer:N0} µs = {signer:N0} + {r.Loopback.CpuMicroseconds:N0} + {r.Loopback.ConnectionCpuMicroseconds:N0} + {rest:N0} µs |");
        if (cpu.Storage is { } emulator)
        {
            Line($"| CPU per delivery, storage emulator ({(fanout + deliver) / d:0.###} transactions each) | {emulator.TotalMicroseconds / n:N0} µs |");
        }

        if (cpu.Machine is { } busy)
        {
            Line($"| CPU per delivery, whole machine (anything else running included) / wall time per delivery x {cores} cores | {busy.TotalMicroseconds / n:N0} µs / {wall * 1e6 * cores / n:N0} µs |");
        }

        Line($"| CPU during deliveries: this process (host, sink, driver) | {Cores(cpu.Process, wall)} |");
        if (cpu.Storage is { } storageCpu)
        {
            Line($"| CPU during deliveries: the storage emulator (single-threaded) | {Cores(storageCpu, wall)} |");
        }

        if (cpu.Machine is { } machine)
        {
            Line($"| CPU during deliveries: whole machine, {cores} cores (includes anything else running) | {Cores(machine, wall)} |");
        }

        Line();
    }

    private void WriteInbound(IReadOnlyList<ActivityResults> results)
    {
        var count = results.Count == 0 ? 0 : results[0].Count;
        Line($"## Scenario C: inbound activities through the shared inbox ({count:N0} of each kind, one at a time, senders already known)");
        Line();
        Line("Transactions per activity: receive (HTTP shared inbox) + inbox queue function. R = reads (point reads, queries, "
            + "message receives, blob reads), W = writes (inserts, upserts, merges, deletes, message puts and deletes).");
        Line();
        Line("| activity | receive | inbox function | total | table R / W | blob R / W | queue R / W | whole activity, median / p95 | CPU per activity: host / storage | recorded |");
        Line("|---|--:|--:|--:|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var n = (double)r.Count;
            string[] phases = [r.ReceivePhase, r.InboxPhase];
            string Kind(string service) =>
                $"{Per(Sum(phases, service, read: true), r.Count)} / {Per(Sum(phases, service, read: false), r.Count)}";
            var p = Percentiles.Of([.. r.Total]);
            var storageCpu = r.Cpu.Storage is { } sc ? $"{sc.TotalMilliseconds / n:0.0} ms" : "n/a";
            Line($"| {r.Label} | {Count(r.ReceivePhase) / n:0.##} | {Count(r.InboxPhase) / n:0.##} | **{(Count(r.ReceivePhase) + Count(r.InboxPhase)) / n:0.##}** "
                + $"| {Kind(StorageOperation.Table)} | {Kind(StorageOperation.Blob)} | {Kind(StorageOperation.Queue)} "
                + $"| {p.MedianMs:0.0} ms / {p.P95Ms:0.0} ms | {r.Cpu.Process.TotalMilliseconds / n:0.0} ms / {storageCpu} "
                + $"| {r.Check}: {r.Recorded:N0}{(r.Passed ? "" : $" **expected {r.Expected:N0}**")} |");
        }

        Line();
        Line($"First activity of each kind in a process (warm-up, one each, counted together): {Count(InboundActivityScenario.WarmupPhase):N0} transactions.");
        Line();
    }

    private long Sum(IReadOnlyList<string> phases, string service, bool read) =>
        operations.Where(o => phases.Contains(o.Key.Phase) && o.Key.Service == service && StorageOperation.IsRead(o.Key.Operation) == read).Sum(o => o.Count);

    private void WriteOperations(FollowResults? follow, FanoutResults? fanout, IReadOnlyList<ActivityResults> inbound)
    {
        Line("## Storage transactions by operation");
        Line();
        if (follow is not null)
        {
            Line($"Per Follow (÷ {follow.Follows:N0}):");
            Line();
            Table([FollowResults.ReceivePhase, FollowResults.InboxPhase, FollowResults.AcceptPhase], follow.Follows, "per Follow");
            Line("The first Follow in a process (warm-up, counted once):");
            Line();
            Table([FollowResults.WarmupReceive, FollowResults.WarmupInbox, FollowResults.WarmupAccept], 1, "count");
        }

        if (fanout is not null)
        {
            Line("The post itself (counted once):");
            Line();
            Table([FanoutResults.PostPhase], 1, "count");
            Line($"Fan-out and delivery (÷ {fanout.DeliveriesEnqueued:N0} deliveries):");
            Line();
            Table([FanoutResults.FanoutPhase, FanoutResults.DeliverPhase], Math.Max(1, fanout.DeliveriesEnqueued), "per delivery");
        }

        foreach (var r in inbound)
        {
            Line($"{r.Label} (÷ {r.Count:N0}):");
            Line();
            Table([r.ReceivePhase, r.InboxPhase], r.Count, "per activity");
        }

        var stray = operations.Where(o => o.Key.Phase == StorageCounter.Unattributed).Sum(o => o.Count);
        if (stray > 0)
        {
            Line($"Transactions outside any phase: {stray:N0}.");
            Line();
        }
    }

    private void Table(IReadOnlyList<string> phases, long divisor, string unit)
    {
        Line($"| stage | service | operation | table / queue | {unit} | non-2xx ({unit}) | mean latency |");
        Line("|---|---|---|---|--:|---|--:|");
        foreach (var o in operations.Where(o => phases.Contains(o.Key.Phase))
            .OrderBy(o => IndexOf(phases, o.Key.Phase)).ThenBy(o => o.Key.Service, StringComparer.Ordinal).ThenByDescending(o => o.Count))
        {
            var failed = string.Join(", ", o.FailedByStatus.OrderBy(f => f.Key).Select(f => $"{f.Key}: {Per(f.Value, divisor)}"));
            Line($"| {o.Key.Phase} | {o.Key.Service} | {o.Key.Operation} | {Logical(o.Key.Resource)} | {Per(o.Count, divisor)} | {failed} | {o.MeanMilliseconds:0.0} ms |");
        }

        var total = operations.Where(o => phases.Contains(o.Key.Phase)).Sum(o => o.Count);
        Line($"| **total** | | | | **{Per(total, divisor)}** | | |");
        Line();
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return list.Count;
    }

    private static string Per(long count, long divisor) =>
        divisor == 1 ? count.ToString("N0", CultureInfo.InvariantCulture) : (count / (double)divisor).ToString("0.###", CultureInfo.InvariantCulture);

    private string Logical(string resource) =>
        resource.StartsWith(prefix, StringComparison.Ordinal) ? resource[prefix.Length..].TrimStart('-') : resource;

    private long Count(string phase) => operations.Where(o => o.Key.Phase == phase).Sum(o => o.Count);

    private long CountWhere(string phase, string operation) => operations.Where(o => o.Key.Phase == phase && o.Key.Operation == operation).Sum(o => o.Count);

    private static string Cores(TimeSpan cpu, double wallSeconds) =>
        $"{cpu.TotalSeconds:0.0} s = {cpu.TotalSeconds / wallSeconds:0.00} cores";

    private void Row(string label, Percentiles p) =>
        Line($"| {label} | {p.MedianMs:0.0} ms / {p.P95Ms:0.0} ms (max {p.MaxMs:0.0} ms) |");

    private void Line(string text = "") => _text.Append(text).Append('\n');

    /// <summary>The machine's load when the report is written (other work on it skews the times, not the counts).</summary>
    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? $"Load average (1, 5, 15 min) at the end: {string.Join(", ", File.ReadAllText(path).Split(' ').Take(3))}." : "";
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        var model = File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
