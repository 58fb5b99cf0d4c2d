namespace ServerlessFedi.Benchmarks;

/// <summary>One page kind measured by <see cref="ReadPathScenario"/>: per request means of transactions and sequential steps, latency, CPU and allocations.</summary>
public sealed record PageMeasure(double Transactions, double Steps, Percentiles Latency, int Items, double CpuMs, double AllocatedKb)
{
    /// <summary>How long a request waited on storage, mean: the time at least one of its transactions was in flight (<see cref="StorageCounter.Busy"/>).</summary>
    public double StorageMs { get; init; }

    /// <summary>p50 of a missing row's point read made right before each page request.</summary>
    public double MissingReadP50Ms { get; init; }

    /// <summary>p50 of an existing status row's point read made right before each page request.</summary>
    public double ExistingReadP50Ms { get; init; }
}
