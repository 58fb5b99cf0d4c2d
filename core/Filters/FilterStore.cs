using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Filters;

/// <summary>
/// Filters in the <c>filters</c> table: one row per filter (PK account id, RK filter id) holding its keywords and
/// statuses as small JSON arrays, so one range query gives an account's filters complete (what a timeline needs per
/// page). Storage: list 1 range query; get 1 point read; save 1 upsert; delete 1 delete. <see cref="GetActiveAsync"/>
/// reads an account's filters at most once per <see cref="RecentLifetime"/> per process; a change here applies at once.
/// </summary>
public sealed class FilterStore(FediTables tables, TimeProvider time)
{
    /// <summary>How long pages may apply filters read earlier: a filter changed on another instance applies within it.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Accounts whose filters are kept per process (most have none; a typical set is a few KB, the 100-filter maximum about 1 MB).</summary>
    public const int RecentCapacity = 2_000;

    private readonly Federation.ExpiringCache<IReadOnlyList<Filter>> _recent = new(RecentLifetime, RecentCapacity, time);

    /// <summary>Bounds that keep a filter row far below the 64 KiB string and 1 MiB entity limits.</summary>
    public const int MaxFiltersPerAccount = 100;

    public const int MaxKeywordsPerFilter = 100;

    public const int MaxStatusesPerFilter = 100;

    public async Task<IReadOnlyList<Filter>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FiltersTable, cancellationToken);
        var filters = new List<Filter>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), cancellationToken: cancellationToken))
        {
            filters.Add(FromEntity(row));
        }

        return filters;
    }

    /// <summary>The account's filters that have not expired: what <see cref="FilterMatcher"/> takes (free when read recently, else 1 range query).</summary>
    public async Task<IReadOnlyList<Filter>> GetActiveAsync(string accountId, CancellationToken cancellationToken)
    {
        var all = await _recent.GetOrLoadAsync(accountId, () => ListAsync(accountId, cancellationToken));
        var now = time.GetUtcNow();
        return all.Where(f => f.IsActiveAt(now)).ToArray();
    }

    public async Task<Filter?> GetAsync(string accountId, string filterId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(filterId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.FiltersTable, cancellationToken);
        var (pk, rk) = StorageKeys.Filter(accountId, filterId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task SaveAsync(Filter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = await tables.GetAsync(StorageNames.FiltersTable, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(filter), TableUpdateMode.Replace, cancellationToken);
        _recent.Remove(filter.AccountId);
    }

    public async Task DeleteAsync(string accountId, string filterId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FiltersTable, cancellationToken);
        var (pk, rk) = StorageKeys.Filter(accountId, filterId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        _recent.Remove(accountId);
    }

    private static TableEntity ToEntity(Filter f)
    {
        var (pk, rk) = StorageKeys.Filter(f.AccountId, f.Id);
        return new TableEntity(pk, rk)
        {
            ["Title"] = f.Title,
            ["Context"] = string.Join(',', f.Context),
            ["Action"] = f.Action,
            ["ExpiresAt"] = f.ExpiresAt,
            ["Keywords"] = new JsonArray(f.Keywords.Select(k => (JsonNode)new JsonObject { ["id"] = k.Id, ["keyword"] = k.Keyword, ["whole_word"] = k.WholeWord }).ToArray()).ToJsonString(),
            ["Statuses"] = new JsonArray(f.Statuses.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["status_id"] = s.StatusId }).ToArray()).ToJsonString(),
        };
    }

    private static Filter FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        AccountId = e.PartitionKey,
        Title = e.GetString("Title") ?? "",
        Context = (e.GetString("Context") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Action = e.GetString("Action") ?? "warn",
        ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
        Keywords = (JsonNode.Parse(e.GetString("Keywords") ?? "[]") as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(k => new FilterKeyword((string?)k["id"] ?? "", (string?)k["keyword"] ?? "", (bool?)k["whole_word"] ?? false))
            .ToArray(),
        Statuses = (JsonNode.Parse(e.GetString("Statuses") ?? "[]") as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(s => new FilterStatus((string?)s["id"] ?? "", (string?)s["status_id"] ?? ""))
            .ToArray(),
    };
}
