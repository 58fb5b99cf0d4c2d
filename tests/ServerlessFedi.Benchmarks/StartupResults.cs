using System.Globalization;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>What scenario S measured (<see cref="StartupScenario"/>); phases are medians of milliseconds since the process was created.</summary>
public sealed record StartupResults(
    int Runs,
    Percentiles AdminHelp,
    Percentiles Serve,
    IReadOnlyList<(string Phase, double MedianMs)> ServePhases,
    IReadOnlyList<(string Phase, double MedianMs)> WorkerPhases,
    double ServeRssMiB)
{
    /// <summary>Issue 13's goal: the standalone host answers within twice the time the runtime needs to print a help text.</summary>
    public const double TargetRatio = 2.0;

    public double Ratio => Serve.MedianMs / AdminHelp.MedianMs;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## Scenario S: cold start of the published app ({Runs} runs, each a new process)");
        text.AppendLine();
        text.AppendLine("| measure | p50 | p95 | floor (admin --help, spawn to exit, p50) | ratio |");
        text.AppendLine("|---|--:|--:|--:|--:|");
        text.AppendLine(c, $"| admin --help, spawn to exit | {AdminHelp.MedianMs:F0} ms | {AdminHelp.P95Ms:F0} ms | | 1.00 |");
        text.AppendLine(c, $"| serve, spawn to first WebFinger answer (200) | {Serve.MedianMs:F0} ms | {Serve.P95Ms:F0} ms | {AdminHelp.MedianMs:F0} ms | **{Ratio:F2}** (goal ≤ {TargetRatio:F1}) |");
        text.AppendLine(c, $"| serve, resident memory at the first answer | {ServeRssMiB:F0} MiB | | | |");
        text.AppendLine();
        text.AppendLine("| process | phase (ms since the process was created, p50) |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| serve | {string.Join(" → ", ServePhases.Select(p => $"{p.Phase} {p.MedianMs:F0}"))} |");
        text.AppendLine(c, $"| isolated worker (until the host handshake) | {string.Join(" → ", WorkerPhases.Select(p => $"{p.Phase} {p.MedianMs:F0}"))} |");
        text.AppendLine();
        return text.ToString();
    }
}
