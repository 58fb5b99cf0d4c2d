using Microsoft.Extensions.Logging;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Makes anything in a <c>-poison</c> queue visible without reading logs: the counts for <c>admin queues counts</c>, and a
/// periodic warning while a poison queue holds messages, which the alert rule in <c>bicep/modules/monitoring.bicep</c> watches
/// (Application Insights may sample a single trace away; a warning repeated every few minutes is still seen). Messages get
/// there when the host gives up on a message (five failed runs) and when a delivery exhausts its retries.
/// Storage: 2 transactions per work queue (1 for <see cref="CheckAsync"/>).
/// </summary>
public sealed class PoisonWatch(QueueCounts counts, FederationQueues queues, ILogger<PoisonWatch> logger)
{
    /// <summary>The start of the warning the alert rule looks for; keep both in step.</summary>
    public const string WarningPrefix = "Poison queues hold";

    public async Task<IReadOnlyList<QueueCount>> CountAsync(IReadOnlyList<string>? only, CancellationToken cancellationToken)
    {
        var list = new List<QueueCount>();
        foreach (var queue in only ?? queues.All)
        {
            list.Add(new QueueCount(queue, await counts.CountAsync(queue, cancellationToken), await counts.CountAsync(queue + "-poison", cancellationToken)));
        }

        return list;
    }

    /// <summary>Logs a warning naming the poison queues that hold messages; returns their total.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var poisoned = new List<string>();
        var total = 0;
        foreach (var queue in queues.All)
        {
            if (await counts.CountAsync(queue + "-poison", cancellationToken) is int count and > 0)
            {
                poisoned.Add($"{queue}-poison: {count}");
                total += count;
            }
        }

        if (total > 0)
        {
            logger.LogWarning(WarningPrefix + " {Count} message(s): {Queues}. See them with 'admin queues poison', send them again with 'admin queues replay'", total, string.Join(", ", poisoned));
        }

        return total;
    }
}
