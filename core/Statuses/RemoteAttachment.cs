namespace ServerlessFedi.Statuses;

/// <summary>
/// A remote note's attachment as stored: the remote file's URL and what its server said about it. We do not copy or proxy
/// remote media: clients load <see cref="Url"/> from the remote server directly (see docs/FEDERATION.md, privacy note).
/// </summary>
public sealed record RemoteAttachment
{
    /// <summary>Mastodon's attachment type: <c>image</c>, <c>video</c>, <c>audio</c> or <c>unknown</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The remote file (https; http only with AllowPrivateNetworks).</summary>
    public required string Url { get; init; }

    public string? MediaType { get; init; }

    /// <summary>Alt text (the ActivityStreams <c>name</c>).</summary>
    public string? Description { get; init; }

    public string? Blurhash { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>Focal point x in [-1, 1] (Mastodon's <c>focalPoint</c>).</summary>
    public double? FocusX { get; init; }

    public double? FocusY { get; init; }

    /// <summary>The thumbnail a remote server sent for a video or audio file (the Document's <c>icon</c>), if any.</summary>
    public string? PreviewUrl { get; init; }
}
