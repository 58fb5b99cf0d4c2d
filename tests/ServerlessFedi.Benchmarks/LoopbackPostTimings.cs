namespace ServerlessFedi.Benchmarks;

/// <summary>
/// A delivery's POST without anything else: the same body to the loopback sink, already signed, one at a time. Median
/// wall time and CPU of this process (client and sink, both here) per POST on a kept-alive connection, and the wall time
/// when each POST opens its own connection (as a delivery to a server not yet connected to does).
/// </summary>
public sealed record LoopbackPostTimings(int Count, double Microseconds, double CpuMicroseconds, double NewConnectionMicroseconds);
