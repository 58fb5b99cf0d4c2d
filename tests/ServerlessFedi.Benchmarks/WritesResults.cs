using System.Globalization;
using System.Text;

namespace ServerlessFedi.Benchmarks;

/// <summary>What scenario W measured (<see cref="WritesScenario"/>).</summary>
public sealed record WritesResults(int Count, double PerFavourite, double PerPost, Percentiles FirstDelivery, double ReceivesPerSecond, int Queues, IReadOnlyList<OperationCount> Operations)
{
    /// <summary>Storage transactions in the request of <c>POST .../unfavourite</c> (a local status favourited before).</summary>
    public double PerUnfavourite { get; init; }

    /// <summary>Of <c>POST .../reblog</c> (a local status, its author notified, one remote follower of the booster).</summary>
    public double PerReblog { get; init; }

    /// <summary>Of <c>POST .../unreblog</c>.</summary>
    public double PerUnreblog { get; init; }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"## Scenario W: writes in the request, and a post's first delivery ({Count} of each)");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| storage transactions in the request: `POST /api/v1/statuses/:id/favourite` (a local status) | **{PerFavourite:F2}** |");
        text.AppendLine(c, $"| storage transactions in the request: `POST /api/v1/statuses/:id/unfavourite` / `reblog` / `unreblog` (the same statuses) | **{PerUnfavourite:F2}** / **{PerReblog:F2}** / **{PerUnreblog:F2}** |");
        text.AppendLine(c, $"| storage transactions in the request: `POST /api/v1/statuses` (public, no mention or tag, one remote follower) | **{PerPost:F2}** |");
        text.AppendLine(c, $"| post's response to its delivery at a loopback inbox, idle instance: p50 / p95 / max | **{FirstDelivery.MedianMs:N0} ms** / {FirstDelivery.P95Ms:N0} ms / {FirstDelivery.MaxMs:N0} ms |");
        text.AppendLine(c, $"| queue receives per second while listening ({Queues} queues, nearly all of them empty polls) / per month | {ReceivesPerSecond:F1} / {ReceivesPerSecond * 86_400 * 30 / 1e6:F1} million |");
        text.AppendLine();
        text.AppendLine("| request | service | operation | table / queue | per request | non-2xx (status: count) |");
        text.AppendLine("|---|---|---|---|--:|---|");
        foreach (var o in Operations.Where(o => WritesScenario.RequestPhases.Contains(o.Key.Phase))
            .OrderBy(o => o.Key.Phase, StringComparer.Ordinal).ThenBy(o => o.Key.Service, StringComparer.Ordinal).ThenByDescending(o => o.Count))
        {
            var failed = string.Join(", ", o.FailedByStatus.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}"));
            text.AppendLine(c, $"| {o.Key.Phase[7..]} | {o.Key.Service} | {o.Key.Operation} | {o.Key.Resource} | {o.Count / (double)Count:F2} | {failed} |");
        }

        text.AppendLine();
        return text.ToString();
    }
}
