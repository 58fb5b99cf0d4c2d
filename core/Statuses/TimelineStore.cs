using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Timelines written on arrival (fan-out on write, as Mastodon does): each entry is a status id in a partition per
/// timeline, newest first. Home: <c>home-{accountId}</c> (own posts and posts of followed accounts); lists: <c>list-{listId}</c>; public:
/// <c>public-local</c> and <c>public-remote</c>; hashtags: <c>tag-{name}</c>. Reading a page is 1 range query plus one
/// point read per status (done in parallel). Writing an entry is 1 upsert (idempotent, so a repeated fan-out is harmless).
/// </summary>
public sealed class TimelineStore(FediTables tables)
{
    public static string Home(string accountId) => $"home-{accountId}";

    public const string PublicLocal = "public-local";

    public const string PublicRemote = "public-remote";

    public static string Tag(string name) => $"tag-{name.ToLowerInvariant()}";

    /// <summary>A list's timeline: what <see cref="StatusSurface.PlaceInHomeAsync"/> puts into the lists holding the author.</summary>
    public static string List(string listId) => $"list-{listId}";

    public async Task AddAsync(string timeline, string statusId, string authorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.TimelinesTable, cancellationToken);
        var (pk, rk) = StorageKeys.TimelineEntry(timeline, statusId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["StatusId"] = statusId, ["AuthorId"] = authorId }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(string timeline, string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.TimelinesTable, cancellationToken);
        var (pk, rk) = StorageKeys.TimelineEntry(timeline, statusId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>
    /// Status ids of a timeline page, newest first: below <paramref name="maxId"/> and above <paramref name="sinceId"/>;
    /// with <paramref name="minId"/> the page right above it (oldest first from there, returned newest first).
    /// </summary>
    public async Task<IReadOnlyList<string>> PageAsync(string timeline, string? maxId, string? sinceId, string? minId, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.TimelinesTable, cancellationToken);
        var rows = await DescendingPage.QueryAsync<TableEntity>(table, timeline, maxId, sinceId, minId, limit, ["StatusId"], cancellationToken);
        return rows.Select(r => r.GetString("StatusId")).ToList();
    }
}
