using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Which remote hosts keep failing. A host failing for longer than <see cref="UnavailableAfter"/> is skipped until it
/// answers a delivery or sends us an activity. The failing hosts (the whole <c>domain</c> partition: healthy hosts have
/// no row) are kept in memory and read again at most once per <see cref="RefreshInterval"/> per process, so a check costs
/// nothing and a healthy host costs nothing. Writes happen when the state changes: a host starts failing (1 upsert; while it
/// keeps failing at most 1 upsert per <see cref="RefreshInterval"/> per process keeps its record current) or answers again
/// (1 delete). Writes are best effort: a failed one is logged and never fails the delivery or activity that caused it.
/// Storage: 1 range query per minute per process (per 1,000 failing hosts) + the writes above.
/// </summary>
public sealed class DeliveryHealth(FediTables tables, TimeProvider time, ILogger<DeliveryHealth>? logger = null)
{
    public static readonly TimeSpan UnavailableAfter = TimeSpan.FromDays(3);

    /// <summary>How stale this process's view of the failing hosts may get: another instance's news reaches it this late.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger = logger ?? NullLogger<DeliveryHealth>.Instance;
    private readonly Lock _gate = new();
    private volatile Snapshot? _snapshot;
    private Task<Snapshot>? _refresh;

    /// <summary>The host answered: forgotten as failing (1 delete, only when it was failing).</summary>
    public async Task RecordSuccessAsync(string host, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        var key = Key(host);
        if (!snapshot.Failing.TryRemove(key, out _))
        {
            return;
        }

        await BestEffortAsync("delete", host, async table =>
        {
            var (pk, rk) = StorageKeys.DeliveryDomain(host);
            await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken); // a 404 (another instance was first) does not throw
        }, cancellationToken);
    }

    /// <summary>A delivery to the host failed: recorded when the host was not failing yet, then when its record is a minute old.</summary>
    public async Task RecordFailureAsync(string host, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var snapshot = await CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var key = Key(host);
        var known = snapshot.Failing.TryGetValue(key, out var k) ? k : null;
        if (known is not null && now - known.LastFailureAt < RefreshInterval)
        {
            return;
        }

        var failure = new HostFailure(key, known?.FirstFailureAt ?? now, now, (known?.Failures ?? 0) + 1, reason.Length > 500 ? reason[..500] : reason);
        snapshot.Failing[key] = failure;
        await BestEffortAsync("record a failure of", host, async table =>
        {
            var (pk, rk) = StorageKeys.DeliveryDomain(host);
            await table.UpsertEntityAsync(new TableEntity(pk, rk)
            {
                ["Host"] = key,
                ["FirstFailureAt"] = failure.FirstFailureAt,
                ["LastFailureAt"] = now,
                ["Failures"] = failure.Failures,
                ["LastReason"] = failure.LastReason,
            }, TableUpdateMode.Replace, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Failing for longer than <see cref="UnavailableAfter"/>, as far as this process knows (at most a minute old).</summary>
    public async Task<bool> IsUnavailableAsync(string host, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        return snapshot.Failing.TryGetValue(Key(host), out var failure) && time.GetUtcNow() - failure.FirstFailureAt > UnavailableAfter;
    }

    /// <summary>Every failing host as stored (for <c>admin deliveries</c>): 1 range query.</summary>
    public async Task<IReadOnlyList<(string Host, DateTimeOffset FirstFailureAt, DateTimeOffset LastFailureAt, long Failures, string? LastReason, bool Unavailable)>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await ReadAsync(cancellationToken))
            .Select(f => (f.Host, f.FirstFailureAt, f.LastFailureAt, f.Failures, f.LastReason, now - f.FirstFailureAt > UnavailableAfter))
            .ToList();
    }

    private static string Key(string host) => host.ToLowerInvariant();

    /// <summary>The view of the failing hosts, read again when older than <see cref="RefreshInterval"/>; one read at a time, meanwhile the last view serves.</summary>
    private Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.ReadAt < RefreshInterval)
        {
            return Task.FromResult(snapshot);
        }

        Task<Snapshot> refresh;
        lock (_gate)
        {
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync();
            }

            refresh = _refresh;
        }

        return snapshot is null ? refresh.WaitAsync(cancellationToken) : Task.FromResult(snapshot);
    }

    private async Task<Snapshot> RefreshAsync()
    {
        var readAt = time.GetUtcNow();
        try
        {
            var rows = await ReadAsync(CancellationToken.None);
            var failing = new ConcurrentDictionary<string, HostFailure>(rows.Select(r => KeyValuePair.Create(r.Host, r)), StringComparer.Ordinal);
            return _snapshot = new Snapshot(failing, readAt);
        }
        catch (RequestFailedException ex)
        {
            // Deliveries go on with the last view (or none: every host counts as healthy) and the next minute tries again.
            _logger.LogWarning(ex, "Reading the failing hosts failed; using the previous view");
            return _snapshot = new Snapshot(_snapshot?.Failing ?? new ConcurrentDictionary<string, HostFailure>(StringComparer.Ordinal), readAt);
        }
    }

    private async Task<List<HostFailure>> ReadAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var now = time.GetUtcNow();
        var list = new List<HostFailure>();
        var (pk, _) = StorageKeys.DeliveryDomain("");
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), cancellationToken: cancellationToken))
        {
            list.Add(new HostFailure(
                row.GetString("Host") ?? "", row.GetDateTimeOffset("FirstFailureAt") ?? now, row.GetDateTimeOffset("LastFailureAt") ?? now,
                row.GetInt64("Failures") ?? 0, row.GetString("LastReason")));
        }

        return list;
    }

    /// <summary>The lower-cased hosts that have a delivery-health row (1 projected range query).</summary>
    public async Task<IReadOnlyList<string>> ListHostsAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        var hosts = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{StorageKeys.DeliveryDomainPartition}'", select: ["Host"], cancellationToken: cancellationToken))
        {
            if (row.GetString("Host") is { Length: > 0 } host)
            {
                hosts.Add(host.ToLowerInvariant());
            }
        }

        return hosts;
    }

    private async Task BestEffortAsync(string what, string host, Func<TableClient, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write(await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken));
        }
        catch (RequestFailedException ex)
        {
            _logger.LogWarning(ex, "Could not {What} host {Host} in the delivery health table; it is recorded in memory only", what, host);
        }
    }

    /// <summary>A failing host as last written: <see cref="Failures"/> counts the recorded failures (at most one a minute per process).</summary>
    private sealed record HostFailure(string Host, DateTimeOffset FirstFailureAt, DateTimeOffset LastFailureAt, long Failures, string? LastReason);

    private sealed record Snapshot(ConcurrentDictionary<string, HostFailure> Failing, DateTimeOffset ReadAt);
}
