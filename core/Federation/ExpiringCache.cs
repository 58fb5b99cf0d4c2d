using System.Collections.Concurrent;

namespace ServerlessFedi.Federation;

/// <summary>
/// A per-process memory of values by key, each kept for at most <paramref name="lifetime"/> and never more than
/// <paramref name="capacity"/> of them: when full, expired entries go first, then the older half (a burst of distinct keys
/// costs reloads, never unbounded memory). Time comes from <paramref name="time"/>, so tests move it.
/// </summary>
public sealed class ExpiringCache<TValue>(TimeSpan lifetime, int capacity, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset StoredAt)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TValue>>> _loading = new(StringComparer.Ordinal);

    /// <summary>Entries stored, counted beside the dictionary: its <c>Count</c> takes every lock, and <see cref="Set"/> runs once per delivery (<see cref="DeliveredLedger"/>).</summary>
    private int _stored;

    public TimeSpan Lifetime => lifetime;

    public int Count => _entries.Count;

    /// <summary>The value stored for <paramref name="key"/> less than <paramref name="maxAge"/> (default: the lifetime) ago.</summary>
    public bool TryGet(string key, out TValue value, TimeSpan? maxAge = null)
    {
        if (_entries.TryGetValue(key, out var entry) && time.GetUtcNow() - entry.StoredAt < (maxAge is { } age && age < lifetime ? age : lifetime))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// The stored value, or <paramref name="load"/>'s; callers that miss the same key at once share one load (the 32
    /// deliveries a host instance runs at once read a post's author once, not 32 times). <paramref name="fresh"/> skips
    /// the stored value but still joins a load in flight.
    /// </summary>
    public async Task<TValue> GetOrLoadAsync(string key, Func<Task<TValue>> load, bool fresh = false)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (!fresh && TryGet(key, out var cached))
        {
            return cached;
        }

        Lazy<Task<TValue>>? self = null;
        var loading = _loading.GetOrAdd(key, k => self = new Lazy<Task<TValue>>(async () =>
        {
            var value = await load();

            // A Remove while this load ran (a write in this process) means the value may predate the write: not kept.
            if (_loading.TryGetValue(k, out var current) && ReferenceEquals(current, self))
            {
                Set(k, value);
            }

            return value;
        }));
        try
        {
            return await loading.Value;
        }
        finally
        {
            _loading.TryRemove(KeyValuePair.Create(key, loading));
        }
    }

    public void Set(string key, TValue value) => Store(key, value, replaceHeld: true);

    /// <summary>
    /// Stores <paramref name="value"/>, read by the caller, unless a value stored less than the lifetime ago is held:
    /// that one may come from a write in this process after the caller's read began, so it is not replaced.
    /// </summary>
    public void SetUnlessHeld(string key, TValue value) => Store(key, value, replaceHeld: false);

    private void Store(string key, TValue value, bool replaceHeld)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref _stored) >= capacity && !_entries.ContainsKey(key))
        {
            foreach (var (k, entry) in _entries)
            {
                if (now - entry.StoredAt >= lifetime)
                {
                    Forget(k);
                }
            }

            if (Volatile.Read(ref _stored) >= capacity)
            {
                foreach (var (k, _) in _entries.OrderBy(e => e.Value.StoredAt).Take(_entries.Count / 2).ToList())
                {
                    Forget(k);
                }
            }
        }

        var stored = (value, now);
        while (true)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                if ((!replaceHeld && now - old.StoredAt < lifetime) || _entries.TryUpdate(key, stored, old))
                {
                    return;
                }
            }
            else if (_entries.TryAdd(key, stored))
            {
                Interlocked.Increment(ref _stored);
                return;
            }
        }
    }

    /// <summary>
    /// Replaces a stored value by <paramref name="update"/> of it, keeping when it was stored (so it expires as it would
    /// have); forgets any load in flight, as <see cref="Remove"/> does. Nothing is stored for a key without a value.
    /// </summary>
    public void Update(string key, Func<TValue, TValue> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _loading.TryRemove(key, out _);
        while (_entries.TryGetValue(key, out var entry) && !_entries.TryUpdate(key, (update(entry.Value), entry.StoredAt), entry))
        {
        }
    }

    /// <summary>Forgets the value and any load in flight, so a load that began before a write never stores what it read.</summary>
    public void Remove(string key)
    {
        _loading.TryRemove(key, out _);
        Forget(key);
    }

    private void Forget(string key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _stored);
        }
    }
}
