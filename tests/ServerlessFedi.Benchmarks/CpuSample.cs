using System.Globalization;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// CPU time used so far by this process, by the local storage emulator and, on Linux, by the whole machine (from
/// <c>/proc/stat</c>), so a phase can say which of them kept the cores busy.
/// </summary>
public readonly record struct CpuSample(TimeSpan Process, TimeSpan? Storage, TimeSpan? MachineBusy, DateTimeOffset At)
{
    private static readonly double TicksPerJiffy = TimeSpan.TicksPerSecond / 100.0;

    public static CpuSample Take(int? storagePid) =>
        new(Environment.CpuUsage.TotalTime, LocalStorageProcess.CpuTime(storagePid), ReadMachineBusy(), DateTimeOffset.UtcNow);

    /// <summary>CPU of this process, of the storage emulator and of the machine (null when unknown), and the wall time, between two samples.</summary>
    public static CpuUse Between(CpuSample start, CpuSample end) =>
        new(end.Process - start.Process, end.Storage - start.Storage, end.MachineBusy - start.MachineBusy, end.At - start.At);

    // /proc/stat "cpu" line: user nice system idle iowait irq softirq steal ... in USER_HZ (100 per second on Linux).
    private static TimeSpan? ReadMachineBusy()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return null;
        }

        var fields = File.ReadLines(path).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return TimeSpan.FromTicks((long)(busy * TicksPerJiffy));
    }
}
