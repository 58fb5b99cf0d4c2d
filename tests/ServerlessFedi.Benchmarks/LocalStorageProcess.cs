using System.Globalization;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The local process serving storage (Azurite), found on Linux as the owner of the socket listening on the table endpoint's
/// port, so that its CPU time can be read beside ours: Azurite is single-threaded JavaScript, so one busy core is its ceiling.
/// </summary>
public static class LocalStorageProcess
{
    private static readonly double TicksPerJiffy = TimeSpan.TicksPerSecond / 100.0;

    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>The id of the process listening on the loopback port of <paramref name="endpoint"/>, or null (not Linux, not local, not visible).</summary>
    public static int? Find(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsLoopback || !File.Exists("/proc/net/tcp"))
        {
            return null;
        }

        var inodes = SocketTables.Where(File.Exists).SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[3] == "0A" && f[1].EndsWith(":" + endpoint.Port.ToString("X4", CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet(StringComparer.Ordinal);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFiles(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Another user's process, or one that just ended.
            }
        }

        return null;
    }

    /// <summary>User plus system CPU time of <paramref name="pid"/> so far, from <c>/proc/{pid}/stat</c>; null when it cannot be read.</summary>
    public static TimeSpan? CpuTime(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // After "pid (comm) ", fields start at "state" (field 3): utime is field 14, stime field 15.
            var jiffies = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks((long)(jiffies * TicksPerJiffy));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
