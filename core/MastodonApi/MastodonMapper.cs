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
            ["avatar"] = DefaultAvatar,
            ["avatar_static"] = DefaultAvatar,
            ["header"] = DefaultHeader,
            ["header_static"] = DefaultHeader,
            ["followers_count"] = a.FollowersCount,
            ["following_count"] = a.FollowingCount,
            ["statuses_count"] = a.StatusesCount,
            ["last_status_at"] = a.LastStatusAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["hide_collections"] = false,
            ["noindex"] = !a.Indexable,
            ["emojis"] = new JsonArray(),
            ["roles"] = new JsonArray(),
            ["fields"] = new JsonArray(),
        };
    }

    /// <summary>CredentialAccount: the Account plus <c>source</c> and <c>role</c>, for the owner only.</summary>
    public JsonObject ToCredentialAccount(LocalAccount a)
    {
        var account = ToAccount(a);
        account["source"] = new JsonObject
        {
            ["privacy"] = a.DefaultPrivacy,
            ["sensitive"] = a.DefaultSensitive,
            ["language"] = a.DefaultLanguage ?? "",
            ["note"] = a.Note,
            ["fields"] = new JsonArray(),
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

    public JsonObject ToStatus(Status s, LocalAccount author, bool includeSourceText = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(author);
        var status = new JsonObject
        {
            ["id"] = s.Id,
            ["uri"] = urls.Status(author.Username, s.Id),
            ["url"] = urls.StatusPage(author.Username, s.Id),
            ["created_at"] = Time(s.CreatedAt),
            ["account"] = ToAccount(author),
            ["content"] = s.ContentHtml,
            ["visibility"] = s.Visibility.ToString().ToLowerInvariant(),
            ["sensitive"] = s.Sensitive,
            ["spoiler_text"] = s.SpoilerText,
            ["media_attachments"] = new JsonArray(),
            ["application"] = s.ApplicationName is null ? null : new JsonObject { ["name"] = s.ApplicationName, ["website"] = null },
            ["mentions"] = new JsonArray(s.Mentions.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.AccountId ?? m.ActorId,
                ["username"] = m.Username,
                ["url"] = m.ProfileUrl,
                ["acct"] = m.Domain is null ? m.Username : $"{m.Username}@{m.Domain}",
            }).ToArray()),
            ["tags"] = new JsonArray(s.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t, ["url"] = urls.Tag(t) }).ToArray()),
            ["emojis"] = new JsonArray(),
            ["reblogs_count"] = 0,
            ["favourites_count"] = 0,
            ["replies_count"] = 0,
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

    /// <summary>ISO 8601 UTC with milliseconds, as Mastodon writes every timestamp.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
