using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Domain records as Mastodon API entities (docs: entities/Account, entities/Status). Every documented field is present
/// with its documented type: ids are strings, timestamps ISO 8601 with milliseconds, <c>avatar</c>/<c>header</c> never null.
/// </summary>
public sealed class MastodonMapper(InstanceUrls urls)
{
    public string DefaultAvatar => $"{urls.Base}/avatars/original/missing.png";

    public string DefaultHeader => $"{urls.Base}/headers/original/missing.png";

    public JsonObject ToAccount(LocalAccount a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new JsonObject
        {
            ["id"] = a.Id,
            ["username"] = a.Username,
            ["acct"] = a.Username,
            ["display_name"] = a.DisplayName,
            ["locked"] = a.Locked,
            ["bot"] = a.Bot,
            ["discoverable"] = a.Discoverable,
            ["indexable"] = a.Indexable,
            ["group"] = false,
            ["created_at"] = Time(new DateTimeOffset(a.CreatedAt.UtcDateTime.Date, TimeSpan.Zero)),
            ["note"] = a.Note,
            ["url"] = urls.Profile(a.Username),
            ["uri"] = urls.Actor(a.Username),
            ["avatar"] = AvatarUrl(a),
            ["avatar_static"] = AvatarUrl(a),
            ["header"] = HeaderUrl(a),
            ["header_static"] = HeaderUrl(a),
            ["followers_count"] = a.FollowersCount,
            ["following_count"] = a.FollowingCount,
            ["statuses_count"] = a.StatusesCount,
            ["last_status_at"] = a.LastStatusAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["hide_collections"] = false,
            ["noindex"] = !a.Indexable,
            ["emojis"] = new JsonArray(),
            ["roles"] = new JsonArray(),
            ["fields"] = new JsonArray(a.Fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.ValueHtml(), ["verified_at"] = null }).ToArray()),
        };
    }

    /// <summary>The account's avatar (static: avatars are rendered as still images unless a GIF was uploaded), or the default.</summary>
    public string AvatarUrl(LocalAccount a) => a?.AvatarBlob is { } blob ? urls.Media(blob) : DefaultAvatar;

    public string HeaderUrl(LocalAccount a) => a?.HeaderBlob is { } blob ? urls.Media(blob) : DefaultHeader;

    /// <summary>CredentialAccount: the Account plus <c>source</c> and <c>role</c>, for the owner only.</summary>
    public JsonObject ToCredentialAccount(LocalAccount a)
    {
        var account = ToAccount(a);
        account["source"] = new JsonObject
        {
            ["privacy"] = a.DefaultPrivacy,
            ["sensitive"] = a.DefaultSensitive,
            ["language"] = a.DefaultLanguage ?? "",
            ["note"] = a.NoteText ?? a.Note,
            ["fields"] = new JsonArray(a.Fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value, ["verified_at"] = null }).ToArray()),
            ["follow_requests_count"] = 0,
            ["hide_collections"] = false,
            ["discoverable"] = a.Discoverable,
            ["indexable"] = a.Indexable,
            ["attribution_domains"] = new JsonArray(),
        };
        account["role"] = new JsonObject
        {
            ["id"] = "-99",
            ["name"] = "",
            ["color"] = "",
            ["permissions"] = "0",
            ["highlighted"] = false,
        };
        return account;
    }

    /// <summary>A remote account as cached: counts are unknown here and answer 0, as Mastodon answers for accounts it has not crawled.</summary>
    public JsonObject ToAccount(Federation.RemoteActor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var username = a.PreferredUsername ?? new Uri(a.Id).Segments[^1].Trim('/');
        var avatar = a.IconUrl ?? DefaultAvatar;
        var header = a.ImageUrl ?? DefaultHeader;
        var created = a.Published ?? a.FetchedAt;
        return new JsonObject
        {
            ["id"] = a.AccountId,
            ["username"] = username,
            ["acct"] = $"{username}@{new Uri(a.Id).Authority}",
            ["display_name"] = a.Name ?? "",
            ["locked"] = a.Locked,
            ["bot"] = a.Type is "Service" or "Application",
            ["discoverable"] = false,
            ["indexable"] = false,
            ["group"] = a.Type == "Group",
            ["created_at"] = Time(new DateTimeOffset(created.UtcDateTime.Date, TimeSpan.Zero)),
            ["note"] = a.Summary,
            ["url"] = a.Url ?? a.Id,
            ["uri"] = a.Id,
            ["avatar"] = avatar,
            ["avatar_static"] = avatar,
            ["header"] = header,
            ["header_static"] = header,
            ["followers_count"] = 0,
            ["following_count"] = 0,
            ["statuses_count"] = 0,
            ["last_status_at"] = null,
            ["hide_collections"] = false,
            ["noindex"] = true,
            ["emojis"] = new JsonArray(),
            ["roles"] = new JsonArray(),
            ["fields"] = new JsonArray(),
        };
    }

    public JsonObject ToAccount(Federation.AccountRef a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Local is { } local ? ToAccount(local) : ToAccount(a.Remote!);
    }

    /// <summary>Relationship (docs: entities/Relationship).</summary>
    public static JsonObject ToRelationship(Federation.Relationship r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new JsonObject
        {
            ["id"] = r.Id,
            ["following"] = r.Following,
            ["showing_reblogs"] = r.ShowingReblogs,
            ["notifying"] = false,
            ["languages"] = null,
            ["followed_by"] = r.FollowedBy,
            ["blocking"] = r.Blocking,
            ["blocked_by"] = r.BlockedBy,
            ["muting"] = r.Muting,
            ["muting_notifications"] = r.Muting,
            ["requested"] = r.Requested,
            ["requested_by"] = r.RequestedBy,
            ["domain_blocking"] = r.DomainBlocking,
            ["endorsed"] = false,
            ["note"] = "",
        };
    }

    public JsonObject ToStatus(Status s, LocalAccount author, bool includeSourceText = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(author);
        return ToStatus(s, ToAccount(author), urls.Status(author.Username, s.Id), urls.StatusPage(author.Username, s.Id), includeSourceText);
    }

    /// <summary>A status with its author already mapped (local or remote); <paramref name="uri"/>/<paramref name="url"/> as published.</summary>
    public JsonObject ToStatus(Status s, JsonObject account, string uri, string url, bool includeSourceText = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        var status = new JsonObject
        {
            ["id"] = s.Id,
            ["uri"] = uri,
            ["url"] = url,
            ["created_at"] = Time(s.CreatedAt),
            ["account"] = account,
            ["content"] = s.ContentHtml,
            ["visibility"] = s.Visibility.ToString().ToLowerInvariant(),
            ["sensitive"] = s.Sensitive,
            ["spoiler_text"] = s.SpoilerText,
            ["media_attachments"] = new JsonArray(s.Media.Select(m => (JsonNode)ToMediaAttachment(m)).Concat(s.RemoteMedia.Select((m, i) => (JsonNode)ToRemoteMediaAttachment(s.Id, i, m))).ToArray()),
            ["application"] = s.ApplicationName is null ? null : new JsonObject { ["name"] = s.ApplicationName, ["website"] = null },
            ["mentions"] = new JsonArray(s.Mentions.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.AccountId ?? Federation.RemoteAccountIds.For(m.ActorId),
                ["username"] = m.Username,
                ["url"] = m.ProfileUrl,
                ["acct"] = m.Domain is null ? m.Username : $"{m.Username}@{m.Domain}",
            }).ToArray()),
            ["tags"] = new JsonArray(s.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t, ["url"] = urls.Tag(t) }).ToArray()),
            ["emojis"] = new JsonArray(s.Emojis.Select(e => (JsonNode)new JsonObject { ["shortcode"] = e.Shortcode, ["url"] = e.Url, ["static_url"] = e.Url, ["visible_in_picker"] = false }).ToArray()),
            ["reblogs_count"] = s.ReblogsCount,
            ["favourites_count"] = s.FavouritesCount,
            ["replies_count"] = s.RepliesCount,
            ["in_reply_to_id"] = s.InReplyToId,
            ["in_reply_to_account_id"] = s.InReplyToAccountId,
            ["reblog"] = null,
            ["poll"] = null,
            ["card"] = null,
            ["language"] = s.Language,
            ["edited_at"] = s.EditedAt is { } e ? Time(e) : null,
            ["favourited"] = false,
            ["reblogged"] = false,
            ["muted"] = false,
            ["bookmarked"] = false,
            ["pinned"] = false,
            ["filtered"] = new JsonArray(),
        };
        if (includeSourceText)
        {
            status["text"] = s.Text;
        }

        return status;
    }

    /// <summary>
    /// MediaAttachment (docs: entities/MediaAttachment): local files only, so the remote URLs are null; <c>meta</c> from
    /// <see cref="MediaMetaMapper"/>. While a v2 upload is processing, <c>url</c> is null (ProcessingMediaAttachment).
    /// </summary>
    public JsonObject ToMediaAttachment(ServerlessFedi.Media.MediaAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var meta = MediaMetaMapper.Meta(m);
        return new JsonObject
        {
            ["id"] = m.Id,
            ["type"] = m.Type,
            ["url"] = m.Processing == ServerlessFedi.Media.MediaProcessingState.Complete ? urls.Media(m.OriginalBlob) : null,
            ["preview_url"] = urls.Media(m.SmallBlob),
            ["remote_url"] = null,
            ["preview_remote_url"] = null,
            ["text_url"] = null,
            ["meta"] = meta,
            ["description"] = m.Description,
            ["blurhash"] = m.Blurhash,
        };
    }

    /// <summary>
    /// MediaAttachment of a remote status: <c>url</c>, <c>remote_url</c> and <c>preview_url</c> are the remote file (we do not
    /// cache remote media, so clients load it from its server); <c>meta.original</c> only when the remote server gave the size.
    /// The id is derived from the status and position (no media row exists for it).
    /// </summary>
    public static JsonObject ToRemoteMediaAttachment(string statusId, int index, Statuses.RemoteAttachment m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var meta = new JsonObject();
        if (m.Width is { } width && m.Height is { } height)
        {
            meta["original"] = ImageMeta(width, height);
        }

        if (m.FocusX is { } x && m.FocusY is { } y)
        {
            meta["focus"] = new JsonObject { ["x"] = x, ["y"] = y };
        }

        return new JsonObject
        {
            ["id"] = Federation.RemoteAccountIds.For(string.Create(CultureInfo.InvariantCulture, $"{statusId}/media/{index}")),
            ["type"] = m.Type,
            ["url"] = m.Url,
            // A video or audio file is no preview image: its server's thumbnail (the Document's icon) when it sent one.
            ["preview_url"] = m.Type is "video" or "audio" ? m.PreviewUrl : m.Url,
            ["remote_url"] = m.Url,
            ["preview_remote_url"] = null,
            ["text_url"] = null,
            ["meta"] = meta,
            ["description"] = m.Description,
            ["blurhash"] = m.Blurhash,
        };
    }

    private static JsonObject ImageMeta(int width, int height) => MediaMetaMapper.Size(width, height);

    /// <summary>ISO 8601 UTC with milliseconds, as Mastodon writes every timestamp.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
