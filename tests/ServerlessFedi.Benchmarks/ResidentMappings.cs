using System.Globalization;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Where a process's resident memory is (<c>/proc/PID/smaps</c>): resident MiB summed per mapped file (by file name) and
/// per kind of anonymous memory, largest first. Adjacent anonymous mappings form one range, named by its size: the GC's
/// reservation (gigabytes, committed in parts), a glibc malloc arena (64 MiB), anything else (thread stacks, the runtime's
/// own allocations); <c>[heap]</c> is glibc's main heap and <c>/memfd:doublemapper</c> the runtime's executable memory and
/// loader heaps, mapped twice under W^X.
/// </summary>
public static class ResidentMappings
{
    private sealed record Mapping(ulong Start, ulong End, string Path)
    {
        public long RssKib { get; set; }
    }

    /// <summary>Resident MiB per mapping name, largest first.</summary>
    public static IReadOnlyList<(string Name, double MiB)> Read(int pid)
    {
        var mappings = new List<Mapping>();
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && !fields[0].EndsWith(':') && fields[0].IndexOf('-', StringComparison.Ordinal) is > 0 and var dash)
            {
                mappings.Add(new Mapping(
                    ulong.Parse(fields[0][..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    ulong.Parse(fields[0][(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    fields.Length == 6 ? fields[5].Trim() : ""));
            }
            else if (mappings.Count > 0 && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                mappings[^1].RssKib = long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < mappings.Count;)
        {
            var m = mappings[i];
            if (m.Path.Length > 0)
            {
                totals[Name(m.Path)] = totals.GetValueOrDefault(Name(m.Path)) + m.RssKib;
                i++;
                continue;
            }

            var end = i;
            var rss = 0L;
            while (end < mappings.Count && mappings[end].Path.Length == 0 && (end == i || mappings[end].Start == mappings[end - 1].End))
            {
                rss += mappings[end].RssKib;
                end++;
            }

            var size = mappings[end - 1].End - m.Start;
            var name = size >= 1UL << 30 ? "[anonymous: GC reservation]" : size == 64UL << 20 ? "[anonymous: malloc arena]" : "[anonymous: other]";
            totals[name] = totals.GetValueOrDefault(name) + rss;
            i = end;
        }

        return [.. totals.Where(t => t.Value > 0).OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value / 1024.0))];
    }

    private static string Name(string path) =>
        path.StartsWith("/memfd:doublemapper", StringComparison.Ordinal) ? "[code and loader heaps, double-mapped]"
        : path.StartsWith("[stack", StringComparison.Ordinal) ? "[stack]"
        : path.StartsWith('/') ? System.IO.Path.GetFileName(path.Replace(" (deleted)", "", StringComparison.Ordinal))
        : path;
}
