using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Scheduled statuses in the <c>statuses</c> table: the account's row (<see cref="StorageKeys.ScheduledStatus"/>) and a
/// due-index row (<see cref="StorageKeys.ScheduledDue"/>) the publishing timer reads. The account's row is the truth;
/// a due row whose account row is gone or names another time is stale and is dropped by the timer. Changes to the
/// account's row are conditional (ETag), so a reschedule, a cancellation and the timer's claim never overwrite each other.
/// Storage: 1 transaction per call, except <see cref="AddAsync"/> (2 inserts), <see cref="RescheduleAsync"/> (1
/// conditional replace + 1 insert + 1 delete) and <see cref="DeleteAsync"/> (2 deletes).
/// </summary>
public sealed class ScheduledStatusStore(FediTables tables)
{
    /// <summary>Inserts the account's row, then the due row (a crash between leaves a row the list shows and the timer does not see; the account's next change or cancellation fixes it).</summary>
    public async Task AddAsync(ScheduledStatus scheduled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        await table.AddEntityAsync(ToEntity(scheduled), cancellationToken);
        await table.UpsertEntityAsync(DueRow(scheduled), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<(ScheduledStatus Scheduled, ETag ETag)?> GetAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.ScheduledStatus(accountId, id);
        var row = await table.GetEntityIfExistsAsync<ScheduledStatusEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>A page of the account's scheduled statuses, newest id first (Mastodon's cursors; 1 range query).</summary>
    public async Task<IReadOnlyList<ScheduledStatus>> ListAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var rows = await DescendingPage.QueryAsync<ScheduledStatusEntity>(table, StorageKeys.ScheduledStatusesPartition(accountId), maxId, sinceId, minId, limit, null, cancellationToken);
        return [.. rows.Select(FromEntity)];
    }

    /// <summary>When each of the account's scheduled statuses is due (1 range query, 2 columns; Mastodon allows at most 300).</summary>
    public async Task<IReadOnlyList<(string Id, DateTimeOffset ScheduledAt)>> ListTimesAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.ScheduledStatusesPartition(accountId);
        var times = new List<(string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<ScheduledStatusEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: [nameof(ScheduledStatusEntity.ScheduledStatusId), nameof(ScheduledStatusEntity.ScheduledAt)], cancellationToken: cancellationToken))
        {
            times.Add((row.ScheduledStatusId, row.ScheduledAt));
        }

        return times;
    }

    /// <summary>Whether the account holds the scheduled status (the media clean-up asks before removing a reserved upload; 1 point read).</summary>
    public async Task<bool> ExistsAsync(string accountId, string id, CancellationToken cancellationToken) =>
        await GetAsync(accountId, id, cancellationToken) is not null;

    /// <summary>Moves the status to <paramref name="scheduledAt"/> unless it changed since it was read (then null); the new due row is written before the old one goes.</summary>
    public async Task<ScheduledStatus?> RescheduleAsync(ScheduledStatus scheduled, ETag etag, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var moved = scheduled with { ScheduledAt = scheduledAt };
        try
        {
            await table.UpdateEntityAsync(ToEntity(moved), etag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return null;
        }

        await table.UpsertEntityAsync(DueRow(moved), TableUpdateMode.Replace, cancellationToken);
        await DeleteDueAsync(scheduled.ScheduledAt, scheduled.Id, cancellationToken);
        return moved;
    }

    /// <summary>The timer's claim: records the status id and the time, unless the row changed since it was read (then null: another instance claimed it, or the author changed it).</summary>
    public async Task<ScheduledStatus?> TryClaimAsync(ScheduledStatus scheduled, ETag etag, string statusId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var claimed = scheduled with { StatusId = statusId, ClaimedAt = now };
        try
        {
            await table.UpdateEntityAsync(ToEntity(claimed), etag, TableUpdateMode.Replace, cancellationToken);
            return claimed;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the account's row (only as read when <paramref name="etag"/> is given; false when it changed or is gone), then its due row.</summary>
    public async Task<bool> DeleteAsync(ScheduledStatus scheduled, ETag? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.ScheduledStatus(scheduled.AccountId, scheduled.Id);
        try
        {
            await table.DeleteEntityAsync(pk, rk, etag ?? ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }

        await DeleteDueAsync(scheduled.ScheduledAt, scheduled.Id, cancellationToken);
        return true;
    }

    /// <summary>Due-index rows of statuses scheduled at or before <paramref name="now"/>, earliest first: (account id, id, time).</summary>
    public async Task<IReadOnlyList<(string AccountId, string Id, DateTimeOffset ScheduledAt)>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var before = StorageKeys.ScheduledDueBefore(now);
        var due = new List<(string, string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ScheduledDuePartition} and RowKey lt {before}"),
            maxPerPage: limit,
            cancellationToken: cancellationToken))
        {
            due.Add((row.GetString("AccountId") ?? "", row.GetString("ScheduledStatusId") ?? "", row.GetDateTimeOffset("ScheduledAt") ?? DateTimeOffset.MinValue));
            if (due.Count >= limit)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Drops a due row (stale, or its status published or dropped); what is gone already is fine.</summary>
    public async Task DeleteDueAsync(DateTimeOffset scheduledAt, string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.ScheduledDue(scheduledAt, id);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    private static TableEntity DueRow(ScheduledStatus s)
    {
        var (pk, rk) = StorageKeys.ScheduledDue(s.ScheduledAt, s.Id);
        return new TableEntity(pk, rk) { ["AccountId"] = s.AccountId, ["ScheduledStatusId"] = s.Id, ["ScheduledAt"] = s.ScheduledAt };
    }

    private static ScheduledStatusEntity ToEntity(ScheduledStatus s)
    {
        var (pk, rk) = StorageKeys.ScheduledStatus(s.AccountId, s.Id);
        return new ScheduledStatusEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            ScheduledStatusId = s.Id,
            AccountId = s.AccountId,
            ScheduledAt = s.ScheduledAt,
            Text = s.Text,
            Visibility = s.Visibility.ToString(),
            SpoilerText = s.SpoilerText,
            Sensitive = s.Sensitive,
            Language = s.Language,
            InReplyToId = s.InReplyToId,
            ApplicationName = s.ApplicationName,
            Media = s.Media.Count == 0 ? null : JsonSerializer.Serialize(s.Media.ToList(), ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment),
            StatusId = s.StatusId,
            ClaimedAt = s.ClaimedAt,
            Poll = s.Poll is null ? null : JsonSerializer.Serialize(s.Poll, StatusJsonContext.Default.PollRequest),
        };
    }

    private static ScheduledStatus FromEntity(ScheduledStatusEntity e) => new()
    {
        Id = e.ScheduledStatusId,
        AccountId = e.AccountId,
        ScheduledAt = e.ScheduledAt,
        Text = e.Text,
        Visibility = Enum.TryParse<Visibility>(e.Visibility, out var v) ? v : Visibility.Public,
        SpoilerText = e.SpoilerText,
        Sensitive = e.Sensitive,
        Language = e.Language,
        InReplyToId = e.InReplyToId,
        ApplicationName = e.ApplicationName,
        Media = e.Media is { Length: > 0 } media ? JsonSerializer.Deserialize(media, ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment) ?? [] : [],
        StatusId = e.StatusId,
        ClaimedAt = e.ClaimedAt,
        Poll = e.Poll is { Length: > 0 } poll ? JsonSerializer.Deserialize(poll, StatusJsonContext.Default.PollRequest) : null,
    };
}
