namespace ServerlessFedi.Benchmarks;

/// <summary>FEP-8b32 proof cost on the benchmark's Create(Note): microseconds to sign (once per activity) and to verify (once per received activity).</summary>
public sealed record ProofTimings(int Count, int ActivityBytes, double CreateMicroseconds, double VerifyMicroseconds);
