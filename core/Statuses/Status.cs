namespace ServerlessFedi.Statuses;

/// <summary>
/// A status as stored: a local one, or a remote one we received (<see cref="Uri"/> set, <see cref="AccountId"/> a remote
/// account id, <see cref="ContentHtml"/> sanitised). The API and ActivityPub mappers convert it; it never goes on the wire as is.
/// </summary>
public sealed record Status
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The text as the author wrote it (Mastodon's <c>source</c>/<c>text</c>).</summary>
    public required string Text { get; init; }

    /// <summary>HTML produced by our formatter from <see cref="Text"/>.</summary>
    public required string ContentHtml { get; init; }

    public string SpoilerText { get; init; } = "";

    public bool Sensitive { get; init; }

    public Visibility Visibility { get; init; } = Visibility.Public;

    public string? Language { get; init; }

    public string? InReplyToId { get; init; }

    public string? InReplyToUri { get; init; }

    public string? InReplyToAccountId { get; init; }

    public IReadOnlyList<StatusMention> Mentions { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public string? ApplicationName { get; init; }

    /// <summary>The ActivityPub id of a remote status; null for local statuses (their id follows from the author and id).</summary>
    public string? Uri { get; init; }

    /// <summary>The HTML page of a remote status, when its server names one.</summary>
    public string? Url { get; init; }

    public long RepliesCount { get; init; }

    public long ReblogsCount { get; init; }

    public long FavouritesCount { get; init; }

    public bool IsLocal => Uri is null;
    /// <summary>Attached media, in the order the author gave; a copy of each (attached media no longer changes).</summary>
    public IReadOnlyList<ServerlessFedi.Media.MediaAttachment> Media { get; init; } = [];

    /// <summary>For a boost (Mastodon's reblog): the id of the boosted status; the boost itself has no content.</summary>
    public string? ReblogOfId { get; init; }

    /// <summary>A remote status's attachments (remote URLs, not copied); local statuses use <see cref="Media"/>.</summary>
    public IReadOnlyList<RemoteAttachment> RemoteMedia { get; init; } = [];

    /// <summary>
    /// The id of the first status of its thread as far as this server knows it (the root a reply chain leads to; null for a
    /// root, or a reply whose parent is unknown here). Muting a conversation mutes this id.
    /// </summary>
    public string? ConversationId { get; init; }

    /// <summary>The conversation this status belongs to: <see cref="ConversationId"/>, or itself.</summary>
    public string ConversationRoot => ConversationId ?? Id;

    /// <summary>Custom emoji a remote status uses.</summary>
    public IReadOnlyList<RemoteEmoji> Emojis { get; init; } = [];

    /// <summary>The poll it carries (its id on the API is the status id); null without one.</summary>
    public Polls.Poll? Poll { get; init; }

    /// <summary>The preview card of its first link, attached by the <c>media</c> queue after it was stored; null until then or without one.</summary>
    public Cards.LinkCard? Card { get; init; }
    /// <summary>Who may quote it, as its author chose; null: the default (<see cref="Quotes.QuotePolicies.Effective"/>).</summary>
    public Quotes.QuotePolicy? QuotePolicy { get; init; }

    /// <summary>
    /// A remote status's <c>interactionPolicy.canQuote</c> as its author's server sent it; null when it sent none, which
    /// admits nobody (as Mastodon 4.5). Local statuses use <see cref="QuotePolicy"/>.
    /// </summary>
    public Quotes.CanQuote? CanQuote { get; init; }

    /// <summary>The status it quotes and the quote's state (FEP-044f); null when it quotes none.</summary>
    public Quotes.StatusQuote? Quote { get; init; }

    /// <summary>Accepted quotes of a local status (Mastodon's <c>quotes_count</c>), counted from its authorizations.</summary>
    public long QuotesCount { get; init; }
}
