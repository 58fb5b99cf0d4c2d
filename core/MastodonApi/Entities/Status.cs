using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// Status (docs: entities/Status), as one viewer sees it: <c>favourited</c>, <c>reblogged</c>, <c>bookmarked</c> and
/// <c>pinned</c> are that viewer's marks, <c>filtered</c> that viewer's matching filters. <see cref="Text"/> (the source
/// text) is present only in the answer to a deletion.
/// </summary>
public sealed record Status
{
    public required string Id { get; init; }

    public required string Uri { get; init; }

    /// <summary>The status's web page; null for a boost.</summary>
    public string? Url { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required Account Account { get; init; }

    public required string Content { get; init; }

    /// <summary>public, unlisted, private or direct.</summary>
    public required string Visibility { get; init; }

    public bool Sensitive { get; init; }

    public string SpoilerText { get; init; } = "";

    public IReadOnlyList<MediaAttachment> MediaAttachments { get; init; } = [];

    public StatusApplication? Application { get; init; }

    public IReadOnlyList<Mention> Mentions { get; init; } = [];

    public IReadOnlyList<StatusTag> Tags { get; init; } = [];

    public IReadOnlyList<CustomEmoji> Emojis { get; init; } = [];

    public long ReblogsCount { get; init; }

    public long FavouritesCount { get; init; }

    public long RepliesCount { get; init; }

    public string? InReplyToId { get; init; }

    public string? InReplyToAccountId { get; init; }

    /// <summary>For a boost: the boosted status.</summary>
    public Status? Reblog { get; init; }

    public Poll? Poll { get; init; }

    /// <summary>What it quotes (Mastodon 4.4); null when it quotes nothing.</summary>
    public QuoteBase? Quote { get; init; }

    /// <summary>Accepted quotes of it (Mastodon 4.5).</summary>
    public long QuotesCount { get; init; }

    /// <summary>Who may quote it (Mastodon 4.5).</summary>
    public QuoteApproval? QuoteApproval { get; init; }

    public PreviewCard? Card { get; init; }

    public string? Language { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    public bool Favourited { get; init; }

    public bool Reblogged { get; init; }

    public bool Muted { get; init; }

    public bool Bookmarked { get; init; }

    public bool Pinned { get; init; }

    public IReadOnlyList<FilterResult> Filtered { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }
}
