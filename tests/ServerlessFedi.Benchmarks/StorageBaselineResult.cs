namespace ServerlessFedi.Benchmarks;

/// <summary>Point reads against the storage endpoint: latency one at a time, and reads per second with 8 and with <see cref="Concurrency"/> in flight.</summary>
public sealed record StorageBaselineResult(double SerialMs, double ReadsPerSecondAt8, int Concurrency, double ReadsPerSecond);
