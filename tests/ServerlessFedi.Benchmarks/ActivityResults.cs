namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario C, one kind of inbound activity: the timings of each, the CPU of the whole run of that kind, and whether the
/// product recorded what the activities should have done (<paramref name="Expected"/> against <paramref name="Recorded"/>).
/// </summary>
public sealed record ActivityResults(
    string Name,
    string Label,
    int Count,
    IReadOnlyList<TimeSpan> Receive,
    IReadOnlyList<TimeSpan> Processing,
    CpuUse Cpu,
    string Check,
    long Expected,
    long Recorded)
{
    public string ReceivePhase => Name + ".receive";

    public string InboxPhase => Name + ".inbox";

    public IReadOnlyList<TimeSpan> Total { get; } = [.. Receive.Select((r, i) => r + Processing[i])];

    public bool Passed => Expected == Recorded;
}
