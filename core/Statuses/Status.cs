namespace ServerlessFedi.Statuses;

/// <summary>A local status as stored. The API and ActivityPub mappers convert it; it never goes on the wire as is.</summary>
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

    /// <summary>Attached media, in the order the author gave; a copy of each (attached media no longer changes).</summary>
    public IReadOnlyList<ServerlessFedi.Media.MediaAttachment> Media { get; init; } = [];
}
