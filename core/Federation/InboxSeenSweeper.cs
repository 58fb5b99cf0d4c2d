using Microsoft.Extensions.Logging;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Deletes expired rows of the inbox's duplicate check (<see cref="InboxSeenStore"/>, keys in <see cref="StorageKeys.InboxSeen"/>).
/// The check only consults the current UTC day's rows, so older days serve nothing; they are kept for <see cref="Retention"/>
/// and then removed. Expired rows are found with one PK range query (their partitions sort before the cut-off day) and
/// deleted 100 per entity group transaction, at most <see cref="MaxDeletesPerRun"/> per run (the next run continues).
/// Storage: 1 range query per 1,000 expired rows + 1 batch per 100 (per partition); nothing expired: 1 query.
/// </summary>
public sealed class InboxSeenSweeper(InboxSeenStore seen, TimeProvider time, ILogger<InboxSeenSweeper> logger)
{
    /// <summary>Days before the one this far back are deleted (Mastodon forgets processed activity ids within hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Bound per run, so a backlog (a first run, a long outage) is worked off over several runs.</summary>
    public const int MaxDeletesPerRun = 20_000;

    /// <summary>Deletes up to <see cref="MaxDeletesPerRun"/> expired rows; returns how many were deleted.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken) => SweepAsync(MaxDeletesPerRun, cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> rows of days before the retention; returns how many were deleted.</summary>
    public async Task<int> SweepAsync(int limit, CancellationToken cancellationToken)
    {
        var cutOff = time.GetUtcNow() - Retention;
        var deleted = await seen.DeleteDaysBeforeAsync(cutOff, limit, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} inbox duplicate-check rows of days before {Day}", deleted, StorageKeys.InboxSeenPartitionsBefore(cutOff));
        }

        return deleted;
    }
}
