namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// MediaAttachment (docs: entities/MediaAttachment). Local files have no remote URLs; a remote status's files are
/// loaded from their server (<c>url</c> = <c>remote_url</c>). <c>text_url</c> and <c>preview_remote_url</c> are written
/// as Mastodon's serializer writes them (null here).
/// </summary>
public sealed record MediaAttachment
{
    public required string Id { get; init; }

    /// <summary>image, gifv, video, audio or unknown.</summary>
    public required string Type { get; init; }

    /// <summary>Null while a v2 upload is being processed (docs: methods/media#v2, "url will be null").</summary>
    public required string? Url { get; init; }

    public string? PreviewUrl { get; init; }

    public string? RemoteUrl { get; init; }

    public string? PreviewRemoteUrl { get; init; }

    public string? TextUrl { get; init; }

    public required MediaMeta Meta { get; init; }

    public string? Description { get; init; }

    public string? Blurhash { get; init; }
}
