namespace ServerlessFedi.Benchmarks;

/// <summary>One page kind of scenario R: storage transactions and sequential steps per request (cold: the first; warm: the mean), latency warm, requests/s from 8 clients.</summary>
public sealed record PageResult(string Name, double ColdTransactions, double ColdSteps, double Transactions, double Steps, Percentiles Latency, double? PerSecond, int Items)
{
    /// <summary>This process's CPU per warm request (the host and the benchmark's client; the storage emulator not), in ms.</summary>
    public double CpuMs { get; init; }

    /// <summary>Managed memory this process allocated per warm request (host and client), in KiB.</summary>
    public double AllocatedKb { get; init; }

    /// <inheritdoc cref="PageMeasure.StorageMs"/>
    public double StorageMs { get; init; }

    /// <inheritdoc cref="PageMeasure.MissingReadP50Ms"/>
    public double MissingReadP50Ms { get; init; }

    /// <inheritdoc cref="PageMeasure.ExistingReadP50Ms"/>
    public double ExistingReadP50Ms { get; init; }
}
