namespace ServerlessFedi.Benchmarks;

/// <summary>One page kind of scenario R: storage transactions and sequential steps per request (cold: the first; warm: the mean), latency warm, requests/s from 8 clients.</summary>
public sealed record PageResult(string Name, double ColdTransactions, double ColdSteps, double Transactions, double Steps, Percentiles Latency, double? PerSecond, int Items);
