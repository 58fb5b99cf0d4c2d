using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Export;

/// <summary>
/// An account's data for GDPR Art. 20 (data portability), in the shape Mastodon's archive and CSV exports have, so other
/// servers' importers read it: <c>actor.json</c> (avatar and header beside it), <c>outbox.json</c> (a Create per post, an
/// Announce per boost, media paths relative to the archive), <c>likes.json</c>, <c>bookmarks.json</c>, the files under
/// <c>media_attachments/files/</c>, and <c>following_accounts.csv</c>, <c>followers.csv</c> (ours; Mastodon has none),
/// <c>lists.csv</c>, <c>blocked_accounts.csv</c>, <c>muted_accounts.csv</c>, <c>blocked_domains.csv</c>, <c>bookmarks.csv</c>.
/// The zip is written entry by entry to any stream (an HTTP response included: no seeking, no buffering of the whole):
/// storage is read page by page and each file is copied from its blob as it downloads. In memory: one page, the media
/// blob names of the posts (for the files written after the outbox) and the usernames of local authors.
/// Storage: 2 account reads by the caller; 1 range query per 100 statuses, per 1,000 follows, followers, blocks, mutes,
/// per list and per 100 likes or bookmarks; 1-2 reads per account named (an acct) and per liked or bookmarked status;
/// 1-3 reads per boosted status; 1 blob read per media file, avatar and header. The relationship files' rows come from
/// <see cref="RelationshipExport"/>.
/// </summary>
public sealed class AccountArchive(
    AccountStore accounts,
    StatusStore statuses,
    InteractionStore interactions,
    AccountDirectory directory,
    MediaStore media,
    ActorMapper actors,
    ActivityBuilder builder,
    NoteMapper notes,
    InstanceUrls urls,
    RelationshipExport relationships)
{
    /// <summary>Where media files go inside the archive, as Mastodon names its folder.</summary>
    public const string MediaFolder = "media_attachments/files/";

    private const int StatusPageSize = 100;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>The name an archive is offered under, e.g. <c>archive-alice-20261201120000.zip</c>.</summary>
    public static string FileName(LocalAccount account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return $"archive-{account.Username}-{now.UtcDateTime:yyyyMMddHHmmss}.zip";
    }

    public async Task WriteAsync(LocalAccount account, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(output);
        var usernames = new Dictionary<string, string?>(StringComparer.Ordinal) { [account.Id] = account.Username };
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

        var mediaBlobs = await WriteEntryAsync(zip, "outbox.json", s => WriteOutboxAsync(s, account, usernames, cancellationToken), cancellationToken);
        foreach (var blob in mediaBlobs)
        {
            await CopyFileAsync(zip, MediaFolder + blob, blob, cancellationToken);
        }

        await WriteEntryAsync(zip, "likes.json", s => WriteMarkedAsync(s, "likes.json", account, InteractionKind.Favourite, usernames, cancellationToken), cancellationToken);
        await WriteEntryAsync(zip, "bookmarks.json", s => WriteMarkedAsync(s, "bookmarks.json", account, InteractionKind.Bookmark, usernames, cancellationToken), cancellationToken);

        var actor = actors.ToActor(account);
        if (account.AvatarBlob is { } avatar && await CopyFileAsync(zip, "avatar" + Path.GetExtension(avatar), avatar, cancellationToken))
        {
            actor["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = account.AvatarContentType, ["url"] = "avatar" + Path.GetExtension(avatar) };
        }

        if (account.HeaderBlob is { } header && await CopyFileAsync(zip, "header" + Path.GetExtension(header), header, cancellationToken))
        {
            actor["image"] = new JsonObject { ["type"] = "Image", ["mediaType"] = account.HeaderContentType, ["url"] = "header" + Path.GetExtension(header) };
        }

        actor["outbox"] = "outbox.json";
        actor["likes"] = "likes.json";
        actor["bookmarks"] = "bookmarks.json";
        await WriteEntryAsync(zip, "actor.json", async s =>
        {
            await using var writer = new Utf8JsonWriter(s, WriterOptions);
            actor.WriteTo(writer);
            return 0;
        }, cancellationToken);

        await WriteCsvAsync(zip, "following_accounts.csv", "Account address,Show boosts,Notify on new posts,Languages", relationships.FollowingAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "followers.csv", "Account address", relationships.FollowersAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "lists.csv", null, relationships.ListsAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "blocked_accounts.csv", null, relationships.BlocksAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "muted_accounts.csv", "Account address,Hide notifications", relationships.MutesAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "blocked_domains.csv", null, relationships.DomainBlocksAsync(account, cancellationToken), cancellationToken);
        await WriteCsvAsync(zip, "bookmarks.csv", null, BookmarkRowsAsync(account, usernames, cancellationToken), cancellationToken);
    }

    private static async Task<T> WriteEntryAsync<T>(ZipArchive zip, string name, Func<Stream, Task<T>> write, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        return await write(stream);
    }

    /// <summary>Copies a blob into a new entry as it downloads; false (and no entry) when the blob is gone.</summary>
    private async Task<bool> CopyFileAsync(ZipArchive zip, string name, string blob, CancellationToken cancellationToken)
    {
        await using var source = await media.OpenReadAsync(blob, cancellationToken);
        if (source is null)
        {
            return false;
        }

        // Images are compressed already: stored, not deflated again.
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        await using var target = await entry.OpenAsync(cancellationToken);
        await source.CopyToAsync(target, cancellationToken);
        return true;
    }

    private async Task<List<string>> WriteOutboxAsync(Stream stream, LocalAccount account, Dictionary<string, string?> usernames, CancellationToken cancellationToken)
    {
        var blobs = new List<string>();
        await using var writer = new Utf8JsonWriter(stream, WriterOptions);
        writer.WriteStartObject();
        writer.WritePropertyName("@context");
        NoteMapper.Context().WriteTo(writer);
        writer.WriteString("id", "outbox.json");
        writer.WriteString("type", "OrderedCollection");
        writer.WriteStartArray("orderedItems");
        var count = 0;
        string? maxId = null;
        while (true)
        {
            var page = await statuses.GetAccountStatusesAsync(account.Id, maxId, StatusPageSize, cancellationToken);
            foreach (var status in page.Where(s => s.DeletedAt is null))
            {
                var item = notes.Create(status, account);
                item.Remove("@context");
                foreach (var attachment in item["object"]!["attachment"]!.AsArray().OfType<JsonObject>())
                {
                    var file = status.Media.FirstOrDefault(m => urls.Media(m.OriginalBlob) == attachment["url"]?.GetValue<string>());
                    if (file is not null)
                    {
                        attachment["url"] = MediaFolder + file.OriginalBlob;
                        blobs.Add(file.OriginalBlob);
                    }
                }

                item.WriteTo(writer);
                count++;
            }

            await writer.FlushAsync(cancellationToken);
            if (page.Count < StatusPageSize)
            {
                break;
            }

            maxId = page[^1].Id;
        }

        // Boosts are marks, not statuses, here: an Announce each (when it was sent is not kept).
        string? boostMaxId = null;
        while (true)
        {
            var ids = await interactions.ListMarkedAsync(account.Id, InteractionKind.Reblog, boostMaxId, StatusPageSize, cancellationToken);
            foreach (var boosted in await statuses.GetManyAsync(ids, cancellationToken))
            {
                if (boosted.DeletedAt is null && await UriOfAsync(boosted, usernames, cancellationToken) is { } uri
                    && await directory.GetByApiIdAsync(boosted.AccountId, cancellationToken) is { } author)
                {
                    var announce = builder.Announce(account, uri, author.ActorId, default);
                    announce.Remove("@context");
                    announce.Remove("published");
                    announce.WriteTo(writer);
                    count++;
                }
            }

            await writer.FlushAsync(cancellationToken);
            if (ids.Count < StatusPageSize)
            {
                break;
            }

            boostMaxId = ids[^1];
        }

        writer.WriteEndArray();
        writer.WriteNumber("totalItems", count);
        writer.WriteEndObject();
        return blobs;
    }

    private async Task<int> WriteMarkedAsync(Stream stream, string id, LocalAccount account, InteractionKind kind, Dictionary<string, string?> usernames, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("@context", ActivityStreamsContext.ActivityStreams);
        writer.WriteString("id", id);
        writer.WriteString("type", "OrderedCollection");
        writer.WriteStartArray("orderedItems");
        var count = 0;
        await foreach (var uri in MarkedUrisAsync(account, kind, usernames, cancellationToken))
        {
            writer.WriteStringValue(uri);
            count++;
        }

        writer.WriteEndArray();
        writer.WriteNumber("totalItems", count);
        writer.WriteEndObject();
        return count;
    }

    /// <summary>ActivityPub ids of the statuses the account favourited or bookmarked, newest status first.</summary>
    private async IAsyncEnumerable<string> MarkedUrisAsync(LocalAccount account, InteractionKind kind, Dictionary<string, string?> usernames, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? maxId = null;
        while (true)
        {
            var ids = await interactions.ListMarkedAsync(account.Id, kind, maxId, StatusPageSize, cancellationToken);
            foreach (var status in await statuses.GetManyAsync(ids, cancellationToken))
            {
                if (status.DeletedAt is null && await UriOfAsync(status, usernames, cancellationToken) is { } uri)
                {
                    yield return uri;
                }
            }

            if (ids.Count < StatusPageSize)
            {
                yield break;
            }

            maxId = ids[^1];
        }
    }

    private async Task<string?> UriOfAsync(Status status, Dictionary<string, string?> usernames, CancellationToken cancellationToken)
    {
        if (status.Uri is { } uri)
        {
            return uri;
        }

        if (!usernames.TryGetValue(status.AccountId, out var username))
        {
            usernames[status.AccountId] = username = (await accounts.GetByIdAsync(status.AccountId, cancellationToken))?.Username;
        }

        return username is null ? null : urls.Status(username, status.Id);
    }

    private async IAsyncEnumerable<string[]> BookmarkRowsAsync(LocalAccount account, Dictionary<string, string?> usernames, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var uri in MarkedUrisAsync(account, InteractionKind.Bookmark, usernames, cancellationToken))
        {
            yield return [uri];
        }
    }

    /// <summary>RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break), UTF-8 without BOM.</summary>
    internal static async Task WriteCsvAsync(ZipArchive zip, string name, string? header, IAsyncEnumerable<string[]> rows, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n" };
        if (header is not null)
        {
            await writer.WriteLineAsync(header);
        }

        await foreach (var row in rows)
        {
            await writer.WriteLineAsync(string.Join(',', row.Select(Field)));
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
