using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// A report kept for the operator: a Flag another server sent about local accounts or statuses, or a report a local
/// account filed through <c>POST /api/v1/reports</c> (<see cref="ReporterAccountId"/> set; its one reported account, local
/// or remote, in <see cref="AccountIds"/>). Resolved when <see cref="ResolvedAt"/> is set.
/// </summary>
public sealed record Report(string Id, string ReporterActorId, IReadOnlyList<string> AccountIds, IReadOnlyList<string> StatusIds, string Comment, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt = null)
{
    /// <summary>The local account that filed it through the API; null for a Flag from another server.</summary>
    public string? ReporterAccountId { get; init; }

    /// <summary>Mastodon's report category: <c>spam</c>, <c>legal</c>, <c>violation</c> or <c>other</c>.</summary>
    public string Category { get; init; } = "other";

    /// <summary>The instance rules (<c>/api/v1/instance/rules</c> ids) a <c>violation</c> report cites.</summary>
    public IReadOnlyList<string> RuleIds { get; init; } = [];

    /// <summary>Whether a Flag went to the reported account's server.</summary>
    public bool Forwarded { get; init; }
}

/// <summary>
/// Reports for the operator, newest first (PK <c>report</c>, RK descending id; a Flag's id derives from the Flag's id, so a
/// repeated Flag is one report; a local report takes a new id). Storage: add 1 upsert or insert; list 1 range query; show
/// 1 point read; resolve or reopen 1 read + 1 conditional replace.
/// </summary>
public sealed class ReportStore(FediTables tables, SnowflakeIds ids, TimeProvider time)
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

    /// <summary>
    /// Stores a report a local account filed (<see cref="Report.ReporterAccountId"/> set) under a new id: 1 insert (another on
    /// the rare id collision with another process).
    /// </summary>
    public async Task<Report> AddLocalAsync(Report report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = report with { Id = ids.Next(), CreatedAt = time.GetUtcNow(), Comment = report.Comment.Length > 5000 ? report.Comment[..5000] : report.Comment };
            try
            {
                await table.AddEntityAsync(new TableEntity(Partition, StorageKeys.Descending(stored.Id))
                {
                    ["ReportId"] = stored.Id,
                    ["ReporterActorId"] = stored.ReporterActorId,
                    ["ReporterAccountId"] = stored.ReporterAccountId,
                    ["AccountIds"] = string.Join(' ', stored.AccountIds),
                    ["StatusIds"] = string.Join(' ', stored.StatusIds),
                    ["Comment"] = stored.Comment,
                    ["Category"] = stored.Category,
                    ["RuleIds"] = string.Join(' ', stored.RuleIds),
                    ["Forwarded"] = stored.Forwarded,
                    ["CreatedAt"] = stored.CreatedAt,
                }, cancellationToken);
                return stored;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 409 && attempt < 3)
            {
                // Another process took the same id in the same millisecond: draw again.
            }
        }
    }

    public async Task<IReadOnlyList<Report>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ReportsTable, cancellationToken);
        var list = new List<Report>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: limit, cancellationToken: cancellationToken))
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
        row.GetDateTimeOffset("ResolvedAt"))
    {
        ReporterAccountId = row.GetString("ReporterAccountId"),
        Category = row.GetString("Category") ?? "other",
        RuleIds = (row.GetString("RuleIds") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        Forwarded = row.GetBoolean("Forwarded") ?? false,
    };
}
