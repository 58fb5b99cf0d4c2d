using System.Diagnostics;
using System.Globalization;

namespace ServerlessFedi.Functions;

/// <summary>
/// Start-up phase marks for the benchmark (docs/PERFORMANCE.md, scenario E): with the environment variable
/// <c>FEDI_STARTUP_TRACE=1</c>, each mark writes <c>startup-trace PHASE MS</c> to standard error, MS being the milliseconds
/// since the process was created (so the first mark includes the runtime's own start). Off, a mark costs one branch.
/// </summary>
public static class StartupTrace
{
    public const string EnvironmentVariable = "FEDI_STARTUP_TRACE";

    public const string LinePrefix = "startup-trace ";

    private static readonly bool Enabled = Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    private static int _firstRequest;

    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        var elapsed = DateTime.Now - self.StartTime;
        Console.Error.WriteLine(LinePrefix + phase + " " + elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture));
    }

    /// <summary>Marks <paramref name="phase"/> the first time only (the first request answered).</summary>
    public static void MarkOnce(string phase)
    {
        if (Enabled && Interlocked.Exchange(ref _firstRequest, 1) == 0)
        {
            Mark(phase);
        }
    }
}
