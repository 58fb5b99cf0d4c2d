using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Team;

/// <summary>
/// The audit trail of agency accounts in the <c>audit</c> table, one partition per agency, newest first
/// (<see cref="StorageKeys.AuditEntry"/>). Rows older than <see cref="FediOptions.AuditRetentionDays"/> are never read and
/// are deleted by <see cref="ExpireAsync"/> (a daily timer). Storage transactions: record 1 insert (a prepared row, <see cref="PendingAudit"/>, once however often); list 1 range query
/// per 1,000 rows; expire 1 projected range query per agency + 1 batch delete per 100 expired rows.
/// </summary>
public sealed class AuditStore(FediTables tables, SnowflakeIds ids, FediOptions options, TimeProvider time)
{
    /// <summary>Azure Tables' entity group transaction limit.</summary>
    private const int BatchSize = 100;

    /// <summary>How long a row is kept.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(options.AuditRetentionDays);

    /// <summary>Records one write of the agency's; <paramref name="staff"/> null for the agency's own login.</summary>
    public async Task<AuditEntry> RecordAsync(string agencyId, string? staff, string? application, string action, string? objectId, CancellationToken cancellationToken = default)
    {
        var pending = Prepare(agencyId, staff, application, action, objectId);
        await RecordAsync(pending, cancellationToken);
        return pending.Entry;
    }

    /// <summary>A row for a write about to be made, its id and time fixed now and written later (no storage).</summary>
    public PendingAudit Prepare(string agencyId, string? staff, string? application, string action, string? objectId) =>
        new(agencyId, new AuditEntry(ids.Next(), time.GetUtcNow(), staff, application, action, objectId));

    /// <summary>Records a prepared row once: a repeat (a retried queue message) finds it and changes nothing. 1 insert.</summary>
    public async Task RecordAsync(PendingAudit pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var entry = pending.Entry;
        var table = await tables.GetAsync(StorageNames.AuditTable, cancellationToken);
        var (pk, rk) = StorageKeys.AuditEntry(pending.AgencyId, entry.Id);
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk)
            {
                ["At"] = entry.At,
                ["Staff"] = entry.Staff,
                ["Application"] = entry.Application,
                ["Action"] = entry.Action,
                ["ObjectId"] = entry.ObjectId,
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Recorded by an earlier attempt.
        }
    }

    /// <summary>
    /// The agency's entries, newest first, from <paramref name="since"/> (or the start of the retention period, whichever
    /// is later), only those of <paramref name="staff"/> when given (<c>""</c>: only the agency's own login).
    /// </summary>
    public async IAsyncEnumerable<AuditEntry> ListAsync(string agencyId, DateTimeOffset? since = null, string? staff = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = time.GetUtcNow() - Retention;
        if (since is { } s && s > from)
        {
            from = s;
        }

        var table = await tables.GetAsync(StorageNames.AuditTable, cancellationToken);
        var upTo = StorageKeys.AuditEntry(agencyId, SnowflakeIds.AtTime(from)).Rk;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {agencyId} and RowKey le {upTo}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var entry = new AuditEntry(
                (999_999_999_999_999_999L - long.Parse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                row.GetString("Staff"),
                row.GetString("Application"),
                row.GetString("Action") ?? "",
                row.GetString("ObjectId"));
            if (staff is null || (entry.Staff ?? "") == staff)
            {
                yield return entry;
            }
        }
    }

    /// <summary>Deletes the agencies' rows older than the retention period; returns how many.</summary>
    public async Task<int> ExpireAsync(IEnumerable<string> agencyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agencyIds);
        var table = await tables.GetAsync(StorageNames.AuditTable, cancellationToken);
        var removed = 0;
        foreach (var agencyId in agencyIds)
        {
            var after = StorageKeys.AuditEntry(agencyId, SnowflakeIds.AtTime(time.GetUtcNow() - Retention)).Rk;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {agencyId} and RowKey gt {after}");
            var batch = new List<TableTransactionAction>(BatchSize);
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
                if (batch.Count == BatchSize)
                {
                    removed += await DeleteAsync(table, batch, cancellationToken);
                }
            }

            removed += await DeleteAsync(table, batch, cancellationToken);
        }

        return removed;
    }

    private static async Task<int> DeleteAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        if (count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            batch.Clear();
        }

        return count;
    }
}
