using System.Globalization;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>What scenario M measured (<see cref="MemoryScenario"/>); memory in MiB of resident set (VmRSS), peak VmHWM.</summary>
public sealed record MemoryResults(
    int Requests,
    int Concurrency,
    int Accounts,
    TimeSpan LoadTime,
    double AtStart,
    double AfterSetup,
    double AfterLoad,
    double Peak,
    double AfterIdle,
    TimeSpan Idle,
    IReadOnlyDictionary<string, int> Failures)
{
    /// <summary>Issue 13's bound on resident memory after the load, caches full.</summary>
    public const double TargetMiB = 120;

    /// <summary>RssAnon and RssFile after the idle period.</summary>
    public string IdleBreakdown { get; init; } = "";

    /// <summary>Resident MiB per mapped file and kind of anonymous memory after the idle period, largest first (<see cref="ResidentMappings"/>).</summary>
    public IReadOnlyList<(string Name, double MiB)> IdleMappings { get; init; } = [];

    /// <summary>Rows of the mappings table: the largest ones, then the rest in one row.</summary>
    public const int MappingRows = 15;

    public bool Passed => Failures.Count == 0;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## Scenario M: resident memory of the published host over {Requests:N0} mixed requests ({Concurrency} at a time, {Accounts} accounts)");
        text.AppendLine();
        text.AppendLine("| measure | MiB | bound | ratio |");
        text.AppendLine("|---|--:|--:|--:|");
        text.AppendLine(c, $"| VmRSS at the first answer | {AtStart:F0} | | |");
        text.AppendLine(c, $"| VmRSS after the setup (follows, 2 posts per account) | {AfterSetup:F0} | | |");
        text.AppendLine(c, $"| VmRSS after the {Requests:N0} requests ({LoadTime.TotalSeconds:F0} s, {Requests / LoadTime.TotalSeconds:F0} requests/s) | **{AfterLoad:F0}** | {TargetMiB:F0} | {AfterLoad / TargetMiB:F2} |");
        text.AppendLine(c, $"| peak (VmHWM) | {Peak:F0} | | |");
        text.AppendLine(c, $"| VmRSS after {Idle.TotalSeconds:F0} s idle ({IdleBreakdown}) | {AfterIdle:F0} | {TargetMiB:F0} | {AfterIdle / TargetMiB:F2} |");
        text.AppendLine(c, $"| requests not answered 2xx | {(Failures.Count == 0 ? "none" : string.Join(", ", Failures.Select(f => $"{f.Key}: {f.Value}")) + " MISMATCH")} | | |");
        text.AppendLine();
        if (IdleMappings.Count > 0)
        {
            text.AppendLine(c, $"Resident memory after the idle period by mapping (`/proc/PID/smaps`, {IdleMappings.Sum(m => m.MiB):F0} MiB in all):");
            text.AppendLine();
            text.AppendLine("| mapping | MiB |");
            text.AppendLine("|---|--:|");
            foreach (var (name, mib) in IdleMappings.Take(MappingRows))
            {
                text.AppendLine(c, $"| {name} | {mib:F1} |");
            }

            text.AppendLine(c, $"| {IdleMappings.Count - Math.Min(MappingRows, IdleMappings.Count)} others | {IdleMappings.Skip(MappingRows).Sum(m => m.MiB):F1} |");
            text.AppendLine();
        }

        return text.ToString();
    }
}
