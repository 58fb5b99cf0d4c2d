namespace ServerlessFedi.Benchmarks;

/// <summary>CPU time spent during a phase by this process, by the storage emulator and by the whole machine (null when unknown).</summary>
public sealed record CpuUse(TimeSpan Process, TimeSpan? Storage, TimeSpan? Machine, TimeSpan Wall);
