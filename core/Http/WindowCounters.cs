using System.Collections.Concurrent;

namespace ServerlessFedi.Http;

/// <summary>
/// Request counters in fixed windows aligned to the clock, in memory, with a hard bound on the number of keys: at
/// <paramref name="capacity"/> keys, counters of past windows are dropped (at most once per window, so a flood cannot
/// make every request scan the table); if the current window alone fills it, further new keys share one overflow
/// counter. A flood of distinct clients therefore exhausts the shared counter, not the process's memory, while clients
/// already counted in the window keep their own.
/// </summary>
public sealed class WindowCounters(TimeProvider time, TimeSpan window, int capacity)
{
    /// <summary>The key new clients share once <c>capacity</c> keys are counted in the current window.</summary>
    public const string OverflowKey = "overflow";

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _prunedWindow = -1;

    /// <summary>Keys held now (at most the capacity plus the overflow key).</summary>
    public int Count => _counters.Count;

    /// <summary>Counts one hit of <paramref name="key"/>: whether it is within <paramref name="limit"/>, what is left, and when the window ends.</summary>
    public (bool Allowed, int Remaining, DateTimeOffset Reset) Hit(string key, int limit)
    {
        ArgumentNullException.ThrowIfNull(key);
        var current = CurrentWindow();
        var counter = _counters.TryGetValue(key, out var existing) ? existing : Add(key, current);
        int used;
        lock (counter)
        {
            if (counter.Window != current)
            {
                counter.Window = current;
                counter.Used = 0;
            }

            used = ++counter.Used;
        }

        return (used <= limit, Math.Max(0, limit - used), new DateTimeOffset((current + 1) * window.Ticks, TimeSpan.Zero));
    }

    /// <summary>Hits of <paramref name="key"/> in the current window, without counting one.</summary>
    public int Peek(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_counters.TryGetValue(key, out var counter))
        {
            return 0;
        }

        lock (counter)
        {
            return counter.Window == CurrentWindow() ? counter.Used : 0;
        }
    }

    private long CurrentWindow() => time.GetUtcNow().UtcTicks / window.Ticks;

    private Counter Add(string key, long current)
    {
        if (_counters.Count >= capacity && Interlocked.Exchange(ref _prunedWindow, current) != current)
        {
            foreach (var (k, c) in _counters)
            {
                bool stale;
                lock (c)
                {
                    stale = c.Window < current;
                }

                if (stale)
                {
                    _counters.TryRemove(k, out _);
                }
            }
        }

        return _counters.Count < capacity ? _counters.GetOrAdd(key, _ => new Counter()) : _counters.GetOrAdd(OverflowKey, _ => new Counter());
    }

    private sealed class Counter
    {
        public long Window { get; set; } = -1;

        public int Used { get; set; }
    }
}
