using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Statuses. Storage: create 2 inserts (main row, account copy); get 1 point read; delete 1 merge (tombstone) + 1 delete;
/// an account's page 1 range query.
/// </summary>
public sealed class StatusStore(FediTables tables)
{
    public async Task AddAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(status.Id);
        var (apk, ark) = StorageKeys.AccountStatus(status.AccountId, status.Id);

        // Main row first: if the copy is missing after a crash the status is still reachable and deletable by id.
        await table.UpsertEntityAsync(ToEntity(status, pk, rk), TableUpdateMode.Replace, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(status, apk, ark), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The status, including a deleted one (check <see cref="Status.DeletedAt"/>); null when it never existed.</summary>
    public async Task<Status?> GetAsync(string statusId, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(statusId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Marks the status deleted (the tombstone answers 410) and removes it from the account's list.</summary>
    public async Task MarkDeletedAsync(Status status, DateTimeOffset deletedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(status.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { [nameof(StatusEntity.DeletedAt)] = deletedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        var (apk, ark) = StorageKeys.AccountStatus(status.AccountId, status.Id);
        // A missing copy answers 404 as a response, not an exception: nothing to do then.
        await table.DeleteEntityAsync(apk, ark, ETag.All, cancellationToken);
    }

    /// <summary>An account's statuses newest first, ids strictly below <paramref name="maxId"/> when given.</summary>
    public async Task<IReadOnlyList<Status>> GetAccountStatusesAsync(string accountId, string? maxId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.AccountStatusesPartition(accountId);
        var after = maxId is not null && SnowflakeIds.IsValid(maxId) ? StorageKeys.Descending(maxId) : null;
        var query = after is null
            ? table.QueryAsync<StatusEntity>(e => e.PartitionKey == partition, maxPerPage: limit, cancellationToken: cancellationToken)
            : table.QueryAsync<StatusEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo(after) > 0, maxPerPage: limit, cancellationToken: cancellationToken);
        var list = new List<Status>(limit);
        await foreach (var row in query)
        {
            list.Add(FromEntity(row));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
    }

    private static StatusEntity ToEntity(Status s, string pk, string rk) => new()
    {
        PartitionKey = pk,
        RowKey = rk,
        StatusId = s.Id,
        AccountId = s.AccountId,
        Text = s.Text,
        ContentHtml = s.ContentHtml,
        SpoilerText = s.SpoilerText,
        Sensitive = s.Sensitive,
        Visibility = s.Visibility.ToString(),
        Language = s.Language,
        InReplyToId = s.InReplyToId,
        InReplyToUri = s.InReplyToUri,
        InReplyToAccountId = s.InReplyToAccountId,
        Mentions = JsonSerializer.Serialize(s.Mentions.ToList(), StatusJsonContext.Default.ListStatusMention),
        Tags = string.Join(' ', s.Tags),
        CreatedAt = s.CreatedAt,
        EditedAt = s.EditedAt,
        DeletedAt = s.DeletedAt,
        ApplicationName = s.ApplicationName,
        Media = s.Media.Count == 0 ? null : JsonSerializer.Serialize(s.Media.ToList(), ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment),
    };

    private static Status FromEntity(StatusEntity e) => new()
    {
        Id = e.StatusId,
        AccountId = e.AccountId,
        Text = e.Text,
        ContentHtml = e.ContentHtml,
        SpoilerText = e.SpoilerText,
        Sensitive = e.Sensitive,
        Visibility = Enum.TryParse<Visibility>(e.Visibility, out var v) ? v : Visibility.Public,
        Language = e.Language,
        InReplyToId = e.InReplyToId,
        InReplyToUri = e.InReplyToUri,
        InReplyToAccountId = e.InReplyToAccountId,
        Mentions = JsonSerializer.Deserialize(e.Mentions, StatusJsonContext.Default.ListStatusMention) ?? [],
        Tags = e.Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        CreatedAt = e.CreatedAt,
        EditedAt = e.EditedAt,
        DeletedAt = e.DeletedAt,
        ApplicationName = e.ApplicationName,
        Media = e.Media is { Length: > 0 } media ? JsonSerializer.Deserialize(media, ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment) ?? [] : [],
    };
}
