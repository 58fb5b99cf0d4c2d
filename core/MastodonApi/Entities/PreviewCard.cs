namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>PreviewCard (docs: entities/PreviewCard). No link previews are fetched here, so statuses answer <c>"card": null</c>.</summary>
public sealed record PreviewCard
{
    public required string Url { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

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

    public string EmbedUrl { get; init; } = "";

    public string? Blurhash { get; init; }
}
