using System.Globalization;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>What scenario D measured (<see cref="LikeStormScenario"/>).</summary>
public sealed record LikeStormResults(
    int Likes,
    int Concurrency,
    int Pollers,
    int Applied,
    TimeSpan ReceiveTime,
    TimeSpan ApplyTime,
    long Counted,
    int Notifications,
    int Poisoned,
    double SerialPerLike,
    double ConcurrentPerLike,
    double ReceivePerLike,
    IReadOnlyList<OperationCount> Operations)
{
    public bool Passed => Counted == Likes && Notifications == Likes && Poisoned == 0;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## Scenario D: {Likes:N0} Likes of one post from {Likes:N0} new remote actors at once");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| favourites count / notifications / in inbox-poison | {Counted:N0} / {Notifications:N0} / {Poisoned}{(Passed ? "" : " MISMATCH")} |");
        text.AppendLine(c, $"| POSTs in flight / inbox receive loops (× 16) | {Concurrency} / {Pollers} |");
        text.AppendLine(c, $"| storage transactions per Like, one at a time ({LikeStormScenario.Serial} Likes, new actors) | {SerialPerLike:F2} |");
        text.AppendLine(c, $"| storage transactions per Like, all at once (receive {ReceivePerLike:F2} + inbox function) | **{ConcurrentPerLike:F2}** |");
        text.AppendLine(c, $"| ratio contended / uncontended | **{ConcurrentPerLike / SerialPerLike:F2}** |");
        text.AppendLine(c, $"| wall time: all POSTs answered / inbox queue drained | {ReceiveTime.TotalSeconds:F1} s / {ApplyTime.TotalSeconds:F1} s ({Applied:N0} messages) |");
        text.AppendLine();
        text.AppendLine("| phase | operation | resource | per Like, at once | failed (status: count) | per Like, one at a time |");
        text.AppendLine("|---|---|---|--:|---|--:|");
        var serial = Operations.Where(o => o.Key.Phase == LikeStormScenario.SerialPhase).ToList();
        foreach (var o in Operations.Where(o => o.Key.Phase is LikeStormScenario.ReceivePhase or LikeStormScenario.InboxPhase).OrderBy(o => o.Key.Phase, StringComparer.Ordinal).ThenBy(o => o.Key.Resource, StringComparer.Ordinal).ThenBy(o => o.Key.Operation, StringComparer.Ordinal))
        {
            var alone = serial.Where(s => s.Key.Operation == o.Key.Operation && s.Key.Resource == o.Key.Resource).Sum(s => s.Count) / (double)LikeStormScenario.Serial;
            var failed = string.Join(", ", o.FailedByStatus.Select(f => $"{f.Key}: {f.Value}"));
            text.AppendLine(c, $"| {o.Key.Phase} | {o.Key.Operation} | {o.Key.Resource} | {o.Count / (double)Likes:F2} | {failed} | {alone:F2} |");
        }

        text.AppendLine();
        return text.ToString();
    }
}
