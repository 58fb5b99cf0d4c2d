using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Statuses. Storage: create 2 inserts (main row, account copy); get 1 point read; delete 1 merge (tombstone) + 1 delete;
/// an account's page 1 range query. A reply also writes (and its deletion removes) a row in its parent's reply index
/// (+1 upsert, +1 delete); a thread's replies are 1 range query.
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
        if (status.InReplyToId is { } parentId && SnowflakeIds.IsValid(parentId))
        {
            var (rpk, rrk) = StorageKeys.StatusReply(parentId, status.Id);
            await table.UpsertEntityAsync(ToEntity(status, rpk, rrk), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Ids of the direct replies to a status, oldest first (1 range query); deleted replies are filtered by the reader.</summary>
    public async Task<IReadOnlyList<string>> GetReplyIdsAsync(string parentId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.StatusRepliesPartition(parentId);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: limit, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>
    /// Stores a remote status (idempotent: the id derives from the object, so a repeated Create rewrites the same rows).
    /// The URI index row goes last: its presence means the status is complete. 3 upserts.
    /// </summary>
    public async Task AddRemoteAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(status.Uri);
        await AddAsync(status, cancellationToken);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusUri(status.Uri);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["StatusId"] = status.Id }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Replaces a stored status's content (a remote Update, or a local edit); both rows.</summary>
    public Task ReplaceAsync(Status status, CancellationToken cancellationToken) => AddAsync(status, cancellationToken);

    /// <summary>The id of the stored status with this ActivityPub id (local URLs are parsed by the caller); 1 point read.</summary>
    public async Task<string?> GetIdByUriAsync(string uri, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusUri(uri);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("StatusId") : null;
    }

    /// <summary>Many statuses by id in parallel (one point read each), in the order asked, skipping unknown ids.</summary>
    public async Task<IReadOnlyList<Status>> GetManyAsync(IEnumerable<string> statusIds, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(statusIds.Select(id => GetAsync(id, cancellationToken)));
        return found.OfType<Status>().ToList();
    }

    /// <summary>
    /// Adds to the replies/reblogs/favourites counts (optimistic concurrency on the main row, retried), then copies them
    /// to the account row. Never below zero. 1 read + 1 merge per attempt, + 1 merge.
    /// </summary>
    public async Task<Status?> AdjustCountsAsync(string statusId, long replies = 0, long reblogs = 0, long favourites = 0, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return null;
            }

            var e = row.Value!;
            var counts = new TableEntity(pk, rk)
            {
                [nameof(StatusEntity.RepliesCount)] = Math.Max(0, e.RepliesCount + replies),
                [nameof(StatusEntity.ReblogsCount)] = Math.Max(0, e.ReblogsCount + reblogs),
                [nameof(StatusEntity.FavouritesCount)] = Math.Max(0, e.FavouritesCount + favourites),
            };
            try
            {
                await table.UpdateEntityAsync(counts, e.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                continue;
            }

            var updated = FromEntity(e) with
            {
                RepliesCount = (long)counts[nameof(StatusEntity.RepliesCount)],
                ReblogsCount = (long)counts[nameof(StatusEntity.ReblogsCount)],
                FavouritesCount = (long)counts[nameof(StatusEntity.FavouritesCount)],
            };
            if (e.DeletedAt is null)
            {
                var (apk, ark) = StorageKeys.AccountStatus(e.AccountId, statusId);
                counts.PartitionKey = apk;
                counts.RowKey = ark;
                try
                {
                    await table.UpdateEntityAsync(counts, ETag.All, TableUpdateMode.Merge, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
                {
                    // The copy is gone (deleted status): nothing to keep in step.
                }
            }

            return updated;
        }
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
        if (status.InReplyToId is { } parentId && SnowflakeIds.IsValid(parentId))
        {
            var (rpk, rrk) = StorageKeys.StatusReply(parentId, status.Id);
            await table.DeleteEntityAsync(rpk, rrk, ETag.All, cancellationToken);
        }
    }

    /// <summary>Local replies to a status, oldest first (any visibility: callers filter), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Status>> GetRepliesAsync(string parentId, int limit, CancellationToken cancellationToken)
    {
        if (!SnowflakeIds.IsValid(parentId))
        {
            return [];
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var partition = StorageKeys.StatusRepliesPartition(parentId);
        var list = new List<Status>(Math.Min(limit, 100));
        await foreach (var row in table.QueryAsync<StatusEntity>(e => e.PartitionKey == partition, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(row));
            if (list.Count >= limit)
            {
                break;
            }
        }

        return list;
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

    /// <summary>A page of an account's statuses (local or remote author) with Mastodon's cursors; 1 range query.</summary>
    public async Task<IReadOnlyList<Status>> GetAccountStatusesPageAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var rows = await DescendingPage.QueryAsync<StatusEntity>(table, StorageKeys.AccountStatusesPartition(accountId), maxId, sinceId, minId, limit, null, cancellationToken);
        return rows.Select(FromEntity).ToList();
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
        Uri = s.Uri,
        Url = s.Url,
        RepliesCount = s.RepliesCount,
        ReblogsCount = s.ReblogsCount,
        FavouritesCount = s.FavouritesCount,
        Media = s.Media.Count == 0 ? null : JsonSerializer.Serialize(s.Media.ToList(), ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment),
        ReblogOfId = s.ReblogOfId,
        RemoteMedia = s.RemoteMedia.Count == 0 ? null : JsonSerializer.Serialize(s.RemoteMedia.ToList(), StatusJsonContext.Default.ListRemoteAttachment),
        Emojis = s.Emojis.Count == 0 ? null : JsonSerializer.Serialize(s.Emojis.ToList(), StatusJsonContext.Default.ListRemoteEmoji),
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
        Uri = e.Uri,
        Url = e.Url,
        RepliesCount = e.RepliesCount,
        ReblogsCount = e.ReblogsCount,
        FavouritesCount = e.FavouritesCount,
        Media = e.Media is { Length: > 0 } media ? JsonSerializer.Deserialize(media, ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment) ?? [] : [],
        ReblogOfId = e.ReblogOfId,
        RemoteMedia = e.RemoteMedia is { Length: > 0 } remoteMedia ? JsonSerializer.Deserialize(remoteMedia, StatusJsonContext.Default.ListRemoteAttachment) ?? [] : [],
        Emojis = e.Emojis is { Length: > 0 } emojis ? JsonSerializer.Deserialize(emojis, StatusJsonContext.Default.ListRemoteEmoji) ?? [] : [],
    };

    /// <summary>
    /// Id and author of every status (local or remote) created from <paramref name="since"/> on and not deleted: one
    /// PartitionKey-range query over the status rows (ids are time-ordered), projected to 3 columns.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string AccountId)>> ListAuthorsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var filter = $"PartitionKey ge '{SnowflakeIds.AtTime(since)}' and PartitionKey lt '{StorageKeys.StatusPartitionsEnd}' and RowKey eq '{StorageKeys.StatusRowKey}'";
        var rows = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "AccountId", "DeletedAt"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("DeletedAt") is null && row.GetString("AccountId") is { } author && SnowflakeIds.IsValid(row.PartitionKey))
            {
                rows.Add((row.PartitionKey, author));
            }
        }

        return rows;
    }
}
