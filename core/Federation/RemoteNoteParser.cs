using System.Globalization;
using System.Text.Json;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Content;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Reads a remote Note (or Article, Page, Question) into a <see cref="Status"/>: content sanitised, visibility from the
/// addressing (Public in <c>to</c>: public; in <c>cc</c>: unlisted; the author's followers: private; else direct),
/// language from <c>contentMap</c>, mentions and hashtags from <c>tag</c>. Parent and mention ids are resolved by the caller.
/// Every field is bounded before it costs CPU or storage (Mastodon GHSA-gg8q-rcg7-p79g, "missing limits on federated
/// properties"): ids and links <see cref="RemoteValues.MaxUrlLength"/>, hashtags <see cref="RemoteValues.IsHashtag"/>, the
/// content warning 1,000 characters, the content <see cref="ContentLimits"/>. Mastodon keeps a remote post whole however
/// long; so do we up to <see cref="StatusEntity.MaxContentHtmlChars"/> (120,000) characters of sanitised HTML, what one
/// table row holds (a long article); longer content keeps its text, cut there with an ellipsis.
/// </summary>
public static class RemoteNoteParser
{
    /// <summary>
    /// The content's budget: 200,000 characters of markup (a long article; an inbox body holds at most 1 MiB), 10,000
    /// elements and attributes, nesting 100 deep (real posts nest fewer than 10); over those only the text is kept, so
    /// the post still shows. At most <see cref="StatusEntity.MaxContentHtmlChars"/> are stored.
    /// </summary>
    public static readonly RemoteHtmlLimits ContentLimits = new(MaxInputChars: 200_000, MaxNodes: 10_000, MaxDepth: 100, MaxOutputChars: StatusEntity.MaxContentHtmlChars);

    /// <summary>Mentions kept (distinct actors).</summary>
    public const int MaxMentions = 50;

    /// <summary>Hashtags kept (each is a row in the tag's timeline).</summary>
    public const int MaxHashtags = 30;

    /// <summary>Characters of a content warning (<c>summary</c>) kept.</summary>
    public const int MaxSpoilerLength = 1000;

    private static readonly HashSet<string> NoteTypes = new(StringComparer.Ordinal) { "Note", "Article", "Page", "Question" };

    public static bool IsNote(JsonElement obj) => obj.ValueKind == JsonValueKind.Object && ActorDocumentParser.TypeOf(obj) is { } t && NoteTypes.Contains(t);

    /// <summary>
    /// The status, or an error when the object is not a note by <paramref name="actor"/>. Attachments and custom emoji keep
    /// only https URLs (<paramref name="allowHttpMedia"/> admits http, for tests with AllowPrivateNetworks).
    /// </summary>
    public static (Status? Status, string? Error) Parse(JsonElement note, RemoteActor actor, DateTimeOffset now, bool allowHttpMedia = false)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsNote(note))
        {
            return (null, "not a Note");
        }

        var id = ActorDocumentParser.String(note, "id");
        if (id is null || id.Length > RemoteValues.MaxUrlLength || !Uri.TryCreate(id, UriKind.Absolute, out var idUri) || !ActorDocumentParser.SameOrigin(idUri, new Uri(actor.Id)))
        {
            return (null, "the note's id is not on its author's server");
        }

        var attributedTo = ActorDocumentParser.Many(note, "attributedTo").Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : ActorDocumentParser.String(a, "id")).FirstOrDefault(a => a is not null);
        if (attributedTo != actor.Id)
        {
            return (null, "the note is attributed to someone else");
        }

        var (html, language) = Content(note);
        var published = ParseTime(ActorDocumentParser.String(note, "published")) ?? now;
        var to = Audience(note, "to");
        var cc = Audience(note, "cc");
        var visibility = IsPublic(to) ? Visibility.Public
            : IsPublic(cc) ? Visibility.Unlisted
            : actor.FollowersUrl is { } f && (to.Contains(f) || cc.Contains(f)) ? Visibility.Private
            : Visibility.Direct;

        var mentions = new List<StatusMention>();
        var tags = new List<string>();
        foreach (var tag in ActorDocumentParser.Many(note, "tag"))
        {
            var type = ActorDocumentParser.TypeOf(tag);
            var href = ActorDocumentParser.String(tag, "href");
            var name = ActorDocumentParser.String(tag, "name");
            if (type == "Mention" && mentions.Count < MaxMentions * 2 && Mention(href, name, allowHttpMedia) is { } mention)
            {
                mentions.Add(mention);
            }
            else if (type == "Hashtag" && name?.TrimStart('#') is { } tagName && RemoteValues.IsHashtag(tagName))
            {
                tags.Add(tagName.ToLowerInvariant());
            }
        }

        var url = note.TryGetProperty("url", out var u) ? u.ValueKind switch
        {
            JsonValueKind.String => u.GetString(),
            JsonValueKind.Object => ActorDocumentParser.String(u, "href"),
            JsonValueKind.Array => u.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : ActorDocumentParser.String(e, "href")).FirstOrDefault(x => x is not null),
            _ => null,
        } : null;
        // As Mastodon: a status's web link must be on its author's host; apps open it as it is.
        url = RemoteValues.WebUrl(url, allowHttpMedia, sameHostAs: new Uri(actor.Id));

        var spoiler = ActorDocumentParser.String(note, "summary") ?? "";
        var status = new Status
        {
            Id = SnowflakeIds.ForRemote(published, now, id),
            AccountId = actor.AccountId,
            Text = "",
            ContentHtml = html,
            SpoilerText = spoiler.Length > MaxSpoilerLength ? spoiler[..MaxSpoilerLength] : spoiler,
            Sensitive = note.TryGetProperty("sensitive", out var s) && s.ValueKind == JsonValueKind.True || spoiler.Length > 0,
            Visibility = visibility,
            Language = language,
            InReplyToUri = RemoteValues.Bounded(ActorDocumentParser.String(note, "inReplyTo")),
            Mentions = mentions.DistinctBy(m => m.ActorId).Take(MaxMentions).ToList(),
            Tags = tags.Distinct().Take(MaxHashtags).ToList(),
            CreatedAt = published > now ? now : published,
            EditedAt = ParseTime(ActorDocumentParser.String(note, "updated")),
            Uri = id,
            Url = url,
            RemoteMedia = RemoteAttachmentParser.Attachments(note, allowHttpMedia),
            Emojis = RemoteAttachmentParser.Emojis(note, allowHttpMedia),
            Poll = RemotePollParser.Parse(note)?.Poll,
            Quote = RemoteQuoteParser.Parse(note),
            CanQuote = RemoteQuoteParser.Policy(note, actor),
        };
        return (status, null);
    }

    /// <summary>
    /// <paramref name="stored"/> with the content of <paramref name="edited"/> (the parsed object of an <c>Update</c>), edited at
    /// its <c>updated</c> (never later than <paramref name="now"/>; now when it has none); or null when the edit must not apply:
    /// the stored status is another account's, or was edited later than this version. Mastodon's status update service
    /// skips an update older than the stored edit the same way, so an Update delivered late or replayed cannot roll back an edit.
    /// </summary>
    public static Status? ApplyEdit(Status stored, Status edited, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(edited);
        var editedAt = edited.EditedAt is { } at && at < now ? at : now;
        if (stored.AccountId != edited.AccountId || stored.EditedAt is { } previous && editedAt < previous)
        {
            return null;
        }

        return stored with
        {
            ContentHtml = edited.ContentHtml,
            SpoilerText = edited.SpoilerText,
            Sensitive = edited.Sensitive,
            Language = edited.Language ?? stored.Language,
            Tags = edited.Tags,
            RemoteMedia = edited.RemoteMedia,
            Emojis = edited.Emojis,
            Poll = edited.Poll ?? stored.Poll,
            Quote = edited.Quote ?? stored.Quote,
            // The policy as the author's server now states it (Mastodon replaces it on every Update).
            CanQuote = edited.CanQuote,
            EditedAt = editedAt,
        };
    }

    /// <summary>Addressees of <c>to</c>/<c>cc</c> (strings or objects with an id).</summary>
    public static HashSet<string> Audience(JsonElement obj, string name) =>
        ActorDocumentParser.Many(obj, name).Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : ActorDocumentParser.String(e, "id")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static bool IsPublic(HashSet<string> audience) =>
        audience.Contains(ActivityStreamsContext.Public) || audience.Contains("as:Public") || audience.Contains("Public");

    private static (string Html, string? Language) Content(JsonElement note)
    {
        string? language = null;
        var content = ActorDocumentParser.String(note, "content");
        if (note.TryGetProperty("contentMap", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String && entry.Name.Length is >= 2 and <= 16)
                {
                    language = entry.Name.Split('-')[0].ToLowerInvariant();
                    content ??= entry.Value.GetString();
                    break;
                }
            }
        }

        return (RemoteHtml.Sanitize(content, ContentLimits), language is { Length: 2 or 3 } && language.All(char.IsAsciiLetterLower) ? language : null);
    }

    private static DateTimeOffset? ParseTime(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>
    /// A <c>Mention</c> tag: <c>href</c> an https URL (the mentioned actor, also its link in apps), <c>name</c>
    /// <c>@user</c> or <c>@user@domain</c>. The handle must be a valid username and host, or it is taken from the href's
    /// last path segment and host; a mention with neither is dropped. A domain in the name is kept only when the href is
    /// on it or on one of its subdomains (an account domain served from a web host), so a tag cannot show one server's
    /// handle for another server's actor.
    /// </summary>
    private static StatusMention? Mention(string? href, string? name, bool allowHttp)
    {
        if (RemoteValues.WebUrl(href, allowHttp) is not { } link)
        {
            return null;
        }

        var hrefUri = new Uri(link);
        var handle = (name ?? "").Trim().TrimStart('@').Split('@');
        var username = handle.Length is 1 or 2 && RemoteValues.IsUsername(handle[0]) ? handle[0] : Uri.UnescapeDataString(hrefUri.Segments[^1].Trim('/')).TrimStart('@');
        if (!RemoteValues.IsUsername(username))
        {
            return null;
        }

        var domain = handle.Length == 2 && RemoteValues.IsDomain(handle[1])
            && (hrefUri.Host.Equals(handle[1].Split(':')[0], StringComparison.OrdinalIgnoreCase) || hrefUri.Host.EndsWith("." + handle[1].Split(':')[0], StringComparison.OrdinalIgnoreCase))
                ? handle[1]
                : hrefUri.Authority;
        return new StatusMention(username, domain, link, link, null, null);
    }
}
