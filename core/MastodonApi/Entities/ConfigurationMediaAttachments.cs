namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[media_attachments]</c>; a limit of 0 means the kind of file is not accepted.</summary>
public sealed record ConfigurationMediaAttachments
{
    public IReadOnlyList<string> SupportedMimeTypes { get; init; } = [];

    public long ImageSizeLimit { get; init; }

    public long ImageMatrixLimit { get; init; }

    public int DescriptionLimit { get; init; }

    public long VideoSizeLimit { get; init; }

    public int VideoFrameRateLimit { get; init; }

    public long VideoMatrixLimit { get; init; }
}
