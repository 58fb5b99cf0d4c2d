using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace ServerlessFedi.Functions;

/// <summary>
/// Start-up phase marks for the benchmark (docs/PERFORMANCE.md, scenario E): with the environment variable
/// <c>FEDI_STARTUP_TRACE=1</c>, each mark writes <c>startup-trace PHASE MS</c> to standard error, MS being the milliseconds
/// since the process was created (so the first mark includes the runtime's own start), followed by
/// <c>jitted=N jit-ms=M</c>, the methods compiled at run time so far and the time spent compiling them (what ReadyToRun
/// did not cover). Off, a mark costs one branch.
/// </summary>
public static class StartupTrace
{
    public const string EnvironmentVariable = "FEDI_STARTUP_TRACE";

    public const string LinePrefix = "startup-trace ";

    private static readonly bool Enabled = Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    private static readonly HashSet<string> Marked = new(StringComparer.Ordinal);

    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        var elapsed = DateTime.Now - self.StartTime;
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{LinePrefix}{phase} {elapsed.TotalMilliseconds:F0} jitted={JitInfo.GetCompiledMethodCount()} jit-ms={JitInfo.GetCompilationTime().TotalMilliseconds:F0}"));
    }

    /// <summary>Marks <paramref name="phase"/> the first time only (the first request received, the first answered).</summary>
    public static void MarkOnce(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        bool first;
        lock (Marked)
        {
            first = Marked.Add(phase);
        }

        if (first)
        {
            Mark(phase);
        }
    }
}
