using System.Globalization;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// What scenario R measured (<see cref="ReadPathScenario"/>), each figure beside its floor from the same run: p50 against
/// 1.5 × (transactions × one point read's p50), requests/s with 8 clients against 30 % of (point reads/s with 8 in flight ÷ transactions).
/// </summary>
public sealed record ReadPathResults(double ReadP50Ms, double ReadsPerSecond, IReadOnlyList<PageResult> Pages)
{
    /// <summary>Requests made before anything was measured (<see cref="BenchmarkOptions.Warmup"/> rounds of every page kind).</summary>
    public int WarmupRequests { get; init; }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("## Scenario R: read paths (timelines of 20, notifications of 30, grouped notifications of 40 groups)");
        text.AppendLine();
        text.AppendLine(c, $"Floor: one storage point read p50 **{ReadP50Ms:F2} ms**; point reads/s with 8 in flight **{ReadsPerSecond:F0}**. Warm-up before measuring: {WarmupRequests} requests.");
        text.AppendLine();
        text.AppendLine("| page | items | transactions cold / warm | sequential steps cold / warm | p50 / p95 warm | CPU / allocated per request warm | p50 bound 1.5 × tx × read p50 (ratio) | requests/s, 8 clients | floor 30 % × reads/s ÷ tx (ratio) |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var p in Pages)
        {
            var bound = 1.5 * p.Transactions * ReadP50Ms;
            var floor = 0.3 * ReadsPerSecond / Math.Max(1, p.Transactions);
            var clients = p.PerSecond is { } rps ? $"{rps:F0} | {floor:F0} ({rps / floor:F2})" : "| ";
            text.AppendLine(c, $"| {p.Name} | {p.Items} | {p.ColdTransactions:F0} / **{p.Transactions:F2}** | {p.ColdSteps:F0} / {p.Steps:F2} | {p.Latency.MedianMs:F1} / {p.Latency.P95Ms:F1} ms | {p.CpuMs:F2} ms / {p.AllocatedKb:F0} KiB | {bound:F1} ms ({p.Latency.MedianMs / bound:F2}) | {clients} |");
        }

        text.AppendLine();
        text.AppendLine("The floor again, read right before each warm page request (under the same conditions as the page), and the time each request waited on storage (at least one of its transactions in flight):");
        text.AppendLine();
        text.AppendLine("| page | p50 warm | waiting on storage per request, mean (the rest of the mean) | missing row's point read p50: bound 1.5 × tx × it (ratio) | existing status row's point read p50: bound (ratio) |");
        text.AppendLine("|---|--:|--:|--:|--:|");
        foreach (var p in Pages)
        {
            var missing = 1.5 * p.Transactions * p.MissingReadP50Ms;
            var existing = 1.5 * p.Transactions * p.ExistingReadP50Ms;
            text.AppendLine(c, $"| {p.Name} | {p.Latency.MedianMs:F1} ms | {p.StorageMs:F1} ms ({p.Latency.MeanMs - p.StorageMs:F1} of {p.Latency.MeanMs:F1} ms) | {p.MissingReadP50Ms:F2} ms: {missing:F1} ms ({p.Latency.MedianMs / missing:F2}) | {p.ExistingReadP50Ms:F2} ms: {existing:F1} ms ({p.Latency.MedianMs / existing:F2}) |");
        }

        text.AppendLine();
        return text.ToString();
    }
}
