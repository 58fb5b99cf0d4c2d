using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>A report (ActivityPub Flag) of local accounts or statuses, kept for the operator.</summary>
public sealed record Report(string Id, string ReporterActorId, IReadOnlyList<string> AccountIds, IReadOnlyList<string> StatusIds, string Comment, DateTimeOffset CreatedAt);

/// <summary>
/// Reports for the operator, newest first (PK <c>report</c>, RK descending id; the id derives from the Flag's id, so a
/// repeated Flag is one report). Storage: add 1 upsert; list 1 range query.
/// </summary>
public sealed class ReportStore(FediTables tables, TimeProvider time)
{
    private const string Partition = "report";

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
            list.Add(new Report(
                row.GetString("ReportId"),
                row.GetString("ReporterActorId"),
                row.GetString("AccountIds").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                row.GetString("StatusIds").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                row.GetString("Comment") ?? "",
                row.GetDateTimeOffset("CreatedAt") ?? default));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }
}
