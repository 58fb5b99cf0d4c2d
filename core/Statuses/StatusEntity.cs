using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>Table row of a status: the main row (PK id, RK <c>status</c>) and its copies in the account's timeline partition.</summary>
internal sealed class StatusEntity : StoredEntity
{
    /// <summary>Properties of a row holding the HTML content.</summary>
    public const int ContentHtmlParts = 4;

    /// <summary>
    /// The longest HTML content a status row holds: 120,000 characters in <see cref="ContentHtmlParts"/> properties. The
    /// row must fit 1 MiB however it is counted: Azure counts 2 bytes a character (240 KB), but the request carries JSON
    /// in which the SDK escapes every non-ASCII character to 6 bytes (720 KB at worst, which Azurite checks), next to the
    /// lists (at most 64 KiB each escaped) and the other fields (about 50 KB at worst).
    /// <see cref="Federation.RemoteNoteParser"/> keeps remote content within it.
    /// </summary>
    public const int MaxContentHtmlChars = 120_000;

    public string StatusId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Text { get; set; } = "";
    /// <summary>The HTML, or its first <see cref="TableLimits.MaxStringChars"/> characters when longer (a long remote post).</summary>
    public string ContentHtml { get; set; } = "";

    /// <summary>The continuation of a long HTML content, in parts of at most one property each (see <see cref="MaxContentHtmlChars"/>); null when there is none.</summary>
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

    /// <summary>The id of the thread's first status here (<see cref="Status.ConversationId"/>).</summary>
    public string? ConversationId { get; set; }

    /// <summary>JSON array of a remote status's attachments (remote URLs); null without any.</summary>
    public string? RemoteMedia { get; set; }

    /// <summary>JSON array of a remote status's custom emoji; null without any.</summary>
    public string? Emojis { get; set; }

    /// <summary>JSON of the status's poll (options, end, kind; the counts are the poll's own rows); null without one.</summary>
    public string? Poll { get; set; }

    /// <summary>JSON of the first link's preview card (<see cref="Cards.CardStore"/> sets it); null or empty without one.</summary>
    public string? Card { get; set; }
    /// <summary>The author's quote policy (<see cref="Quotes.QuotePolicy"/>); null: the default.</summary>
    public string? QuotePolicy { get; set; }

    /// <summary>A remote status's quote policy (<see cref="Quotes.CanQuote.Packed"/>); null when its server sent none.</summary>
    public int? CanQuote { get; set; }

    /// <summary>JSON of what the status quotes (<see cref="Quotes.StatusQuote"/>); null when it quotes none.</summary>
    public string? Quote { get; set; }

    /// <summary>Accepted quotes of it (<see cref="Status.QuotesCount"/>).</summary>
    public long QuotesCount { get; set; }

    /// <summary>
    /// Stores <paramref name="html"/> in <c>ContentHtml</c> to <c>ContentHtml4</c>, parts of at most one property that end
    /// between characters, never inside a surrogate pair.
    /// </summary>
    /// <exception cref="ArgumentException">Longer than <see cref="MaxContentHtmlChars"/>.</exception>
    public StatusEntity WithContentHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (html.Length > MaxContentHtmlChars)
        {
            throw new ArgumentException($"status content of {html.Length} characters is longer than a row holds ({MaxContentHtmlChars})", nameof(html));
        }

        var parts = new string?[ContentHtmlParts];
        for (int start = 0, k = 0; start < html.Length; k++)
        {
            var length = Math.Min(TableLimits.MaxStringChars, html.Length - start);
            if (start + length < html.Length && char.IsHighSurrogate(html[start + length - 1]))
            {
                length--;
            }

            parts[k] = html.Substring(start, length);
            start += length;
        }

        ContentHtml = parts[0] ?? "";
        ContentHtml2 = parts[1];
        ContentHtml3 = parts[2];
        ContentHtml4 = parts[3];
        return this;
    }

    /// <summary>The HTML put together from its parts.</summary>
    public string FullContentHtml() => ContentHtml2 is null ? ContentHtml : string.Concat(ContentHtml, ContentHtml2, ContentHtml3, ContentHtml4);

    /// <summary>
    /// A list as a JSON property: the whole list when it fits one property (always, for what a post carries), else its
    /// first entries, fewer until they fit (only a hostile list: 50 mentions or 16 attachments with 2,048-character URLs).
    /// </summary>
    public static string JsonList<T>(IReadOnlyList<T> items, JsonTypeInfo<List<T>> typeInfo)
    {
        var list = items.ToList();
        var json = JsonSerializer.Serialize(list, typeInfo);
        while (json.Length > TableLimits.MaxStringChars && list.Count > 0)
        {
            list.RemoveRange(list.Count * 3 / 4, list.Count - (list.Count * 3 / 4));
            json = JsonSerializer.Serialize(list, typeInfo);
        }

        return json;
    }

    /// <summary>The row of <paramref name="s"/> under the given keys (its main row or one of its copies).</summary>
    public static StatusEntity From(Status s, string pk, string rk) => FromWithoutContent(s, pk, rk).WithContentHtml(s.ContentHtml);

    private static StatusEntity FromWithoutContent(Status s, string pk, string rk) => new()
    {
        PartitionKey = pk,
        RowKey = rk,
        StatusId = s.Id,
        AccountId = s.AccountId,
        Text = s.Text,
        SpoilerText = s.SpoilerText,
        Sensitive = s.Sensitive,
        Visibility = s.Visibility.ToString(),
        Language = s.Language,
        InReplyToId = s.InReplyToId,
        InReplyToUri = s.InReplyToUri,
        InReplyToAccountId = s.InReplyToAccountId,
        Mentions = StatusEntity.JsonList(s.Mentions, StatusJsonContext.Default.ListStatusMention),
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
        RemoteMedia = s.RemoteMedia.Count == 0 ? null : StatusEntity.JsonList(s.RemoteMedia, StatusJsonContext.Default.ListRemoteAttachment),
        Emojis = s.Emojis.Count == 0 ? null : StatusEntity.JsonList(s.Emojis, StatusJsonContext.Default.ListRemoteEmoji),
        Poll = s.Poll is null ? null : JsonSerializer.Serialize(s.Poll, StatusJsonContext.Default.Poll),
        ConversationId = s.ConversationId,
        Card = s.Card is null ? null : Cards.CardStore.Serialize(s.Card),
        QuotePolicy = s.QuotePolicy?.ToString(),
        CanQuote = s.CanQuote?.Packed,
        Quote = s.Quote is null ? null : JsonSerializer.Serialize(s.Quote, StatusJsonContext.Default.StatusQuote),
        QuotesCount = s.QuotesCount,
    };

    /// <summary>The status this row holds.</summary>
    public Status ToStatus() => new()
    {
        Id = StatusId,
        AccountId = AccountId,
        Text = Text,
        ContentHtml = FullContentHtml(),
        SpoilerText = SpoilerText,
        Sensitive = Sensitive,
        Visibility = Enum.TryParse<Statuses.Visibility>(Visibility, out var v) ? v : Statuses.Visibility.Public,
        Language = Language,
        InReplyToId = InReplyToId,
        InReplyToUri = InReplyToUri,
        InReplyToAccountId = InReplyToAccountId,
        Mentions = JsonSerializer.Deserialize(Mentions, StatusJsonContext.Default.ListStatusMention) ?? [],
        Tags = Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        CreatedAt = CreatedAt,
        EditedAt = EditedAt,
        DeletedAt = DeletedAt,
        ApplicationName = ApplicationName,
        Uri = Uri,
        Url = Url,
        RepliesCount = RepliesCount,
        ReblogsCount = ReblogsCount,
        FavouritesCount = FavouritesCount,
        Media = Media is { Length: > 0 } media ? JsonSerializer.Deserialize(media, ServerlessFedi.Media.MediaJsonContext.Default.ListMediaAttachment) ?? [] : [],
        ReblogOfId = ReblogOfId,
        RemoteMedia = RemoteMedia is { Length: > 0 } remoteMedia ? JsonSerializer.Deserialize(remoteMedia, StatusJsonContext.Default.ListRemoteAttachment) ?? [] : [],
        Emojis = Emojis is { Length: > 0 } emojis ? JsonSerializer.Deserialize(emojis, StatusJsonContext.Default.ListRemoteEmoji) ?? [] : [],
        Poll = Poll is { Length: > 0 } poll ? JsonSerializer.Deserialize(poll, StatusJsonContext.Default.Poll) : null,
        ConversationId = ConversationId,
        Card = Cards.CardStore.Deserialize(Card),
        QuotePolicy = Enum.TryParse<Quotes.QuotePolicy>(QuotePolicy, out var quotePolicy) ? quotePolicy : null,
        CanQuote = Quotes.CanQuote.Unpack(CanQuote),
        Quote = Quote is { Length: > 0 } quote ? JsonSerializer.Deserialize(quote, StatusJsonContext.Default.StatusQuote) : null,
        QuotesCount = QuotesCount,
    };
}
