using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Counts storage transactions process-wide from the <c>Azure-Core</c> event source: Azure.Core's logging policy writes one
/// <c>Request</c> event per attempt sent on the wire (retries included, which is what storage bills) and one
/// <c>Response</c>/<c>ErrorResponse</c> with the status. Events are written synchronously on the sending flow, so each
/// request is filed under that flow's <see cref="Phase"/>.
/// <para>An <c>HttpPipelinePolicy</c> added through the client options would be the direct way, but <c>StorageAccount</c>
/// builds its clients privately from configuration and offers no way to pass client options.</para>
/// </summary>
public sealed class StorageCounter : EventListener
{
    public const string Unattributed = "(no phase)";

    private readonly ConcurrentDictionary<OperationKey, Stats> _stats = new();
    private readonly ConcurrentDictionary<string, (Stats Stats, string Phase)> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private volatile string? _accountName;

    /// <summary>The storage account name, skipped when Azurite puts it at the start of the path.</summary>
    public string? AccountName
    {
        get => _accountName;
        set => _accountName = value;
    }

    public IReadOnlyList<OperationCount> Snapshot() =>
        [.. _stats.Select(s => new OperationCount(
            s.Key,
            Interlocked.Read(ref s.Value.Count),
            s.Value.Failed.ToDictionary(f => f.Key, f => f.Value),
            s.Value.Completed == 0 ? 0 : Interlocked.Read(ref s.Value.Ticks) / (double)TimeSpan.TicksPerMillisecond / s.Value.Completed))];

    /// <summary>Transactions sent under <paramref name="phase"/>, optionally only those matching <paramref name="filter"/>.</summary>
    public long Count(string phase, Func<OperationKey, bool>? filter = null) =>
        _stats.Where(s => s.Key.Phase == phase && (filter is null || filter(s.Key))).Sum(s => Interlocked.Read(ref s.Value.Count));

    /// <summary>
    /// Sequential steps under <paramref name="phase"/>: how often a request was sent while none of the phase was in
    /// flight. Requests sent together count once, however the endpoint serves them, so a page that reads in one
    /// parallel batch after its range query shows 3 steps (token, range query, batch) per request.
    /// </summary>
    public long Steps(string phase)
    {
        lock (_flights)
        {
            return _flights.TryGetValue(phase, out var f) ? f.Steps : 0;
        }
    }

    /// <summary>
    /// How long at least one storage request of <paramref name="phase"/> was in flight (from its sending to its response,
    /// as Azure.Core times it): the time the phase waited on storage, requests sent together counted once.
    /// </summary>
    public TimeSpan Busy(string phase)
    {
        lock (_flights)
        {
            return _flights.TryGetValue(phase, out var f) ? TimeSpan.FromTicks(f.BusyTicks) : TimeSpan.Zero;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Runs from the base constructor too, before this instance is initialised: touch no instance state here.
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Azure-Core")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        switch (eventData.EventName)
        {
            case "Request":
                OnRequest(eventData);
                break;
            case "Response" or "ErrorResponse":
                OnResponse(eventData);
                break;
        }
    }

    private void OnRequest(EventWrittenEventArgs e)
    {
        var service = StorageOperation.ServiceOf(Payload(e, "clientAssembly"));
        var requestId = Payload(e, "requestId");
        var method = Payload(e, "method");
        if (service is null || requestId is null || method is null || !Uri.TryCreate(Payload(e, "uri"), UriKind.Absolute, out var uri))
        {
            return;
        }

        var conditional = Payload(e, "headers")?.Contains("If-Match:", StringComparison.OrdinalIgnoreCase) ?? false;
        var (operation, resource) = StorageOperation.Classify(service, method, uri, conditional, _accountName);
        var phase = Phase.Current ?? Unattributed;
        var stats = _stats.GetOrAdd(new OperationKey(phase, service, operation, resource), _ => new Stats());
        Interlocked.Increment(ref stats.Count);
        lock (_flights)
        {
            if (!_flights.TryGetValue(phase, out var f))
            {
                _flights[phase] = f = new Flight();
            }

            if (f.InFlight++ == 0)
            {
                f.Steps++;
                f.BusySince = Stopwatch.GetTimestamp();
            }
        }

        _pending[requestId] = (stats, phase);
    }

    private void OnResponse(EventWrittenEventArgs e)
    {
        if (Payload(e, "requestId") is not { } requestId || !_pending.TryRemove(requestId, out var sent))
        {
            return;
        }

        var stats = sent.Stats;
        lock (_flights)
        {
            var f = _flights[sent.Phase];
            if (f.InFlight > 0 && --f.InFlight == 0)
            {
                f.BusyTicks += Stopwatch.GetElapsedTime(f.BusySince).Ticks;
            }
        }

        if (e.PayloadNames!.IndexOf("status") is var statusIndex and >= 0 && e.Payload![statusIndex] is int status && status is < 200 or >= 300)
        {
            stats.Failed.AddOrUpdate(status, 1, (_, n) => n + 1);
        }

        if (e.PayloadNames.IndexOf("seconds") is var secondsIndex and >= 0 && e.Payload![secondsIndex] is double seconds)
        {
            Interlocked.Add(ref stats.Ticks, (long)(seconds * TimeSpan.TicksPerSecond));
            Interlocked.Increment(ref stats.Completed);
        }
    }

    private static string? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? e.Payload![index] as string : null;
    }

    /// <summary>A phase's requests in flight, its sequential steps and its time waiting on storage (guarded by the dictionary's lock).</summary>
    private sealed class Flight
    {
#pragma warning disable CA1051 // Mutable counters under one lock.
        public int InFlight;
        public long Steps;
        public long BusySince;
        public long BusyTicks;
#pragma warning restore CA1051
    }

    private sealed class Stats
    {
#pragma warning disable CA1051 // Counters updated with Interlocked need to be fields.
        public long Count;
        public long Completed;
        public long Ticks;
#pragma warning restore CA1051

        public ConcurrentDictionary<int, long> Failed { get; } = new();
    }
}
