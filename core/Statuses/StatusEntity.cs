using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>Table row of a status: the main row (PK id, RK <c>status</c>) and its copies in the account's timeline partition.</summary>
internal sealed class StatusEntity : StoredEntity
{
    public string StatusId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Text { get; set; } = "";
    /// <summary>The HTML, or its first <see cref="Storage.TableLimits.MaxStringChars"/> characters when longer (a long remote post).</summary>
    public string ContentHtml { get; set; } = "";

    /// <summary>The continuation of a long HTML content, in parts of at most one property each (see <see cref="StatusStore.MaxContentHtmlChars"/>); null when there is none.</summary>
    public string? ContentHtml2 { get; set; }

    public string? ContentHtml3 { get; set; }

    public string? ContentHtml4 { get; set; }
    public string SpoilerText { get; set; } = "";
    public bool Sensitive { get; set; }
    public string Visibility { get; set; } = "Public";
    public string? Language { get; set; }
    public string? InReplyToId { get; set; }
    public string? InReplyToUri { get; set; }
    public string? InReplyToAccountId { get; set; }

    /// <summary>JSON array of mentions (small: a status has few).</summary>
    public string Mentions { get; set; } = "[]";

    public string Tags { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? ApplicationName { get; set; }
    public string? Uri { get; set; }
    public string? Url { get; set; }
    public long RepliesCount { get; set; }
    public long ReblogsCount { get; set; }
    public long FavouritesCount { get; set; }

    /// <summary>JSON array of the attached media (at most four, a few hundred bytes each); null without media.</summary>
    public string? Media { get; set; }

    /// <summary>The boosted status's id, for a boost.</summary>
    public string? ReblogOfId { get; set; }

    /// <summary>JSON array of a remote status's attachments (remote URLs); null without any.</summary>
    public string? RemoteMedia { get; set; }

    /// <summary>JSON array of a remote status's custom emoji; null without any.</summary>
    public string? Emojis { get; set; }
}
