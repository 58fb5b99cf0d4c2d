namespace ServerlessFedi.Benchmarks;

/// <summary>
/// A delivery's POST without anything else: the same body to the loopback sink, already signed, one at a time. Median
/// wall time and CPU of this process (client and sink, both here) per POST on a kept-alive connection, and the wall time
/// and CPU when each POST opens its own connection (as a delivery to a server not yet connected to does).
/// </summary>
public sealed record LoopbackPostTimings(int Count, double Microseconds, double CpuMicroseconds, double NewConnectionMicroseconds, double NewConnectionCpuMicroseconds)
{
    /// <summary>What opening (and closing) a connection adds to a POST's CPU, client and sink together.</summary>
    public double ConnectionCpuMicroseconds => Math.Max(0, NewConnectionCpuMicroseconds - CpuMicroseconds);
}
