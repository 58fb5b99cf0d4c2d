namespace ServerlessFedi.Benchmarks;

/// <summary>Requests of one <see cref="OperationKey"/>: how many, how many answered with each non-2xx status, and their mean latency.</summary>
public sealed record OperationCount(OperationKey Key, long Count, IReadOnlyDictionary<int, long> FailedByStatus, double MeanMilliseconds);
