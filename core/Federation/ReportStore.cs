using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>A report (ActivityPub Flag) of local accounts or statuses, kept for the operator; resolved when <see cref="ResolvedAt"/> is set.</summary>
public sealed record Report(string Id, string ReporterActorId, IReadOnlyList<string> AccountIds, IReadOnlyList<string> StatusIds, string Comment, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt = null);

/// <summary>
/// Reports for the operator, newest first (PK <c>report</c>, RK descending id; the id derives from the Flag's id, so a
/// repeated Flag is one report). Storage: add 1 upsert; list 1 range query; show 1 point read; resolve or reopen 1 read + 1 conditional replace.
/// </summary>
public sealed class ReportStore(FediTables tables, TimeProvider time)
{
    private const string Partition = "report";

    /// <summary>The report with API id <paramref name="id"/>, or null.</summary>
    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, StorageKeys.Descending(id), cancellationToken: cancellationToken);
        return row.HasValue ? ToReport(row.Value!) : null;
    }

    /// <summary>Marks the report resolved (or open again, Mastodon's "reopen"); false when there is no such report.</summary>
    public async Task<bool> SetResolvedAsync(string id, bool resolved, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return false;
        }

        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, StorageKeys.Descending(id), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        var entity = row.Value!;
        if (resolved)
        {
            entity["ResolvedAt"] = time.GetUtcNow();
        }
        else
        {
            entity.Remove("ResolvedAt");
        }

        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task AddAsync(string flagId, string reporterActorId, IReadOnlyList<string> accountIds, IReadOnlyList<string> statusIds, string comment, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        var now = time.GetUtcNow();
        var id = SnowflakeIds.ForRemote(now, now, flagId);
        await table.UpsertEntityAsync(new TableEntity(Partition, StorageKeys.Descending(id))
        {
            ["ReportId"] = id,
            ["FlagId"] = flagId,
            ["ReporterActorId"] = reporterActorId,
            ["AccountIds"] = string.Join(' ', accountIds),
            ["StatusIds"] = string.Join(' ', statusIds),
            ["Comment"] = comment.Length > 5000 ? comment[..5000] : comment,
            ["CreatedAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<Report>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        var list = new List<Report>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add(ToReport(row));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    private static Report ToReport(TableEntity row) => new(
        row.GetString("ReportId"),
        row.GetString("ReporterActorId"),
        row.GetString("AccountIds").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        row.GetString("StatusIds").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        row.GetString("Comment") ?? "",
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetDateTimeOffset("ResolvedAt"));
}
