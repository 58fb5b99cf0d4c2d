using System.Text.Json;
using Azure.Data.Tables;
using ServerlessFedi.Media;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Previous versions of edited statuses, a small row each in the <c>statuses</c> table (PK <c>edits-{statusId}</c>).
/// Storage: add 1 insert; list 1 range query.
/// </summary>
public sealed class StatusEditStore(FediTables tables, SnowflakeIds ids)
{
    /// <summary>Mastodon keeps every version; a bound keeps one history read to one page.</summary>
    public const int MaxVersions = 1000;

    public async Task AddAsync(string statusId, StatusVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusEdit(statusId, ids.Next());
        await table.AddEntityAsync(new TableEntity(pk, rk)
        {
            ["Text"] = version.Text,
            ["ContentHtml"] = version.ContentHtml,
            ["SpoilerText"] = version.SpoilerText,
            ["Sensitive"] = version.Sensitive,
            ["Language"] = version.Language,
            ["Media"] = version.Media.Count == 0 ? null : JsonSerializer.Serialize(version.Media.ToList(), MediaJsonContext.Default.ListMediaAttachment),
            ["VersionCreatedAt"] = version.CreatedAt,
        }, cancellationToken);
    }

    /// <summary>The stored previous versions, oldest first (the current one is the status itself).</summary>
    public async Task<IReadOnlyList<StatusVersion>> ListAsync(string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.StatusEditsPartition(statusId);
        var list = new List<StatusVersion>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: MaxVersions, cancellationToken: cancellationToken))
        {
            var media = row.GetString("Media") is { Length: > 0 } json ? JsonSerializer.Deserialize(json, MediaJsonContext.Default.ListMediaAttachment) ?? [] : [];
            list.Add(new StatusVersion(
                row.GetString("Text") ?? "",
                row.GetString("ContentHtml") ?? "",
                row.GetString("SpoilerText") ?? "",
                row.GetBoolean("Sensitive") ?? false,
                row.GetString("Language"),
                media,
                row.GetDateTimeOffset("VersionCreatedAt") ?? DateTimeOffset.MinValue));
            if (list.Count >= MaxVersions)
            {
                break;
            }
        }

        return list;
    }
}
