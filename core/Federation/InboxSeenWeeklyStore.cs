using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The inbox's duplicate check: the ids of inbound activities already queued, in one table per UTC week
/// (<see cref="WeeklyTables"/>, keys in <see cref="StorageKeys.InboxSeen"/>). A claim inserts into the current week's
/// table and, within <see cref="RepeatWindow"/> of the week's start (or for an activity proven to be older than the week),
/// also looks into the previous week's, so a repeat is recognised for at least a day and up to two weeks. Weeks before
/// the previous one are dropped whole by <see cref="ExpireAsync"/>: one table delete a week instead of a delete per 100 rows.
/// Storage: claim 1 insert (+1 point read on the first day of a week, about 1 claim in 7; +1 read when the insert meets a row);
/// forget 1 delete; expiry 1 table-list query (+1 table delete a week).
/// </summary>
public sealed class InboxSeenWeeklyStore(WeeklyTables weeks, TimeProvider time, ILogger<InboxSeenWeeklyStore>? logger = null)
{
    /// <summary>How long into a week the previous week's ids are still consulted: a sender retries an activity whose 202 it missed within hours.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(1);

    private readonly ILogger _logger = logger ?? NullLogger<InboxSeenWeeklyStore>.Instance;

    /// <summary>
    /// Records that <paramref name="activityId"/> arrived at <paramref name="receivedAt"/>; false when it was already seen.
    /// <paramref name="notBefore"/> is the earliest it may have arrived before (a proven activity's <c>created</c>), which
    /// extends the look into the previous week.
    /// </summary>
    public async Task<bool> TryClaimAsync(string activityId, DateTimeOffset receivedAt, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var table = await weeks.GetAsync(StorageNames.InboxSeenTable, receivedAt, cancellationToken);
        var (pk, rk) = StorageKeys.InboxSeen(activityId);
        var claim = Guid.NewGuid().ToString("N");
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk) { ["ActivityId"] = activityId, ["ReceivedAt"] = receivedAt, ["Claim"] = claim }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // The storage client retries an insert whose answer was lost; that retry meets our own row, which is no duplicate.
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["Claim"], cancellationToken: cancellationToken);
            return row.HasValue && row.Value!.GetString("Claim") == claim;
        }

        var week = WeeklyTables.WeekOf(receivedAt);
        if (receivedAt - week >= RepeatWindow && (notBefore is not { } earliest || earliest >= week))
        {
            return true;
        }

        var previous = weeks.GetExisting(StorageNames.InboxSeenTable, week - WeeklyTables.Week);
        return !(await previous.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["PartitionKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>Forgets a claim (the activity could not be queued, so the sender's retry must not count as a duplicate).</summary>
    public async Task ForgetAsync(string activityId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var table = await weeks.GetAsync(StorageNames.InboxSeenTable, receivedAt, cancellationToken);
        var (pk, rk) = StorageKeys.InboxSeen(activityId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Drops the weeks before the previous one (and the day-partitioned table of earlier versions); returns how many tables.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var previousWeek = WeeklyTables.WeekOf(time.GetUtcNow()) - WeeklyTables.Week;
        var deleted = await weeks.DeleteWeeksBeforeAsync(StorageNames.InboxSeenTable, previousWeek, cancellationToken);
        foreach (var name in deleted)
        {
            _logger.LogInformation("Dropped the inbox duplicate-check table {Table}", name);
        }

        return deleted.Count;
    }
}
