namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// PreviewCard (docs: entities/PreviewCard), as Mastodon 4.3+ serialises it: the card of a status's first link, read from
/// the page's meta tags (no oEmbed, so <c>html</c> and <c>embed_url</c> are empty and <c>type</c> is <c>link</c>), its
/// image served by this instance. <c>author_name</c>/<c>author_url</c> are deprecated for <c>authors</c> but still sent.
/// </summary>
public sealed record PreviewCard
{
    public required string Url { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>ISO 639-1 code of the page's language; null when it states none.</summary>
    public string? Language { get; init; }

    /// <summary>link, photo, video or rich.</summary>
    public required string Type { get; init; }

    public string AuthorName { get; init; } = "";

    public string AuthorUrl { get; init; } = "";

    public string ProviderName { get; init; } = "";

    public string ProviderUrl { get; init; } = "";

    public string Html { get; init; } = "";

    public int Width { get; init; }

    public int Height { get; init; }

    public string? Image { get; init; }

    public string ImageDescription { get; init; } = "";

    public string EmbedUrl { get; init; } = "";

    public string? Blurhash { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public IReadOnlyList<PreviewCardAuthor> Authors { get; init; } = [];
}
