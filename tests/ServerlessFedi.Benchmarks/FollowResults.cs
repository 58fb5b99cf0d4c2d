namespace ServerlessFedi.Benchmarks;

/// <summary>Scenario A: timings of each inbound Follow, by stage, and what the product recorded.</summary>
public sealed record FollowResults(
    int Follows,
    long FollowerCount,
    long FollowerRows,
    long AcceptsDelivered,
    long UnsignedAccepts,
    int InboxEmptyPolls,
    int DeliverEmptyPolls,
    IReadOnlyList<TimeSpan> Receive,
    IReadOnlyList<TimeSpan> Processing,
    IReadOnlyList<TimeSpan> Accept,
    TimeSpan Elapsed)
{
    public const string WarmupReceive = "warmup.receive";
    public const string WarmupInbox = "warmup.inbox";
    public const string WarmupAccept = "warmup.accept";
    public const string ReceivePhase = "follow.receive";
    public const string InboxPhase = "follow.inbox";
    public const string AcceptPhase = "follow.accept";

    public IReadOnlyList<TimeSpan> Total { get; } = [.. Receive.Select((r, i) => r + Processing[i] + Accept[i])];

    public bool Passed => FollowerCount == Follows && FollowerRows == Follows && AcceptsDelivered == Follows && UnsignedAccepts == 0;
}
