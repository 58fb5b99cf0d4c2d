namespace ServerlessFedi.Web;

/// <summary>
/// The head of a page: title, description, canonical URL, OpenGraph type, and the alternate
/// representations (the ActivityPub object, feeds) that clients and other servers discover from it.
/// </summary>
public sealed record PageHead
{
    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string CanonicalUrl { get; init; }

    /// <summary>OpenGraph type: <c>website</c>, <c>profile</c> or <c>article</c>.</summary>
    public string OgType { get; init; } = "website";

    public string? ActivityJsonUrl { get; init; }

    public string? RssUrl { get; init; }

    public string? AtomUrl { get; init; }

    /// <summary>Search engines: false for pages of accounts that opted out of indexing and for error pages.</summary>
    public bool Indexable { get; init; } = true;
}
