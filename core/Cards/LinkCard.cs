namespace ServerlessFedi.Cards;

/// <summary>
/// A link's preview card as stored (docs: entities/PreviewCard): read from the page's HTML meta tags, its image a file of
/// this instance's <c>media</c> container. Kept whole in the status rows that link to it, so rendering costs no read.
/// Every text is plain (no markup); pages escape it, the API carries it as is.
/// </summary>
public sealed record LinkCard
{
    /// <summary>The link as the status carries it (not the page's canonical URL), as Mastodon's card <c>url</c>.</summary>
    public required string Url { get; init; }

    public required string Title { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Always <c>link</c>: without oEmbed nothing here knows a page to be a photo or a video.</summary>
    public string Type { get; init; } = "link";

    public string AuthorName { get; init; } = "";

    public string AuthorUrl { get; init; } = "";

    public string ProviderName { get; init; } = "";

    public string ProviderUrl { get; init; } = "";

    /// <summary>The stored image's blob (<c>StorageKeys.MediaBlob</c>); null without an image.</summary>
    public string? ImageBlob { get; init; }

    /// <summary>Where the image came from (<c>og:image</c>), so a refresh with the same image reuses the stored file.</summary>
    public string? ImageSource { get; init; }

    /// <summary>When <see cref="ImageBlob"/> was written (<see cref="CardImages"/>: renderers drop it before it is deleted); null for images kept forever.</summary>
    public DateTimeOffset? ImageStoredAt { get; init; }

    public string ImageDescription { get; init; } = "";

    public int Width { get; init; }

    public int Height { get; init; }

    public string? Blurhash { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>The account the page names as its author (<c>fediverse:creator</c>), as <c>user@domain</c>; null when it names none.</summary>
    public string? Creator { get; init; }

    /// <summary>The API id of <see cref="Creator"/> when that account may be credited with the page (<see cref="CardCreators"/>); else null.</summary>
    public string? AuthorAccountId { get; init; }

    /// <summary>The page's language (ISO 639-1) from <c>og:locale</c> or <c>&lt;html lang&gt;</c>; null when not stated.</summary>
    public string? Language { get; init; }
}
