namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>StatusEdit (docs: entities/StatusEdit): one version of a status in its history.</summary>
public sealed record StatusEdit
{
    public required string Content { get; init; }

    public string SpoilerText { get; init; } = "";

    public bool Sensitive { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required Account Account { get; init; }

    public Poll? Poll { get; init; }

    public IReadOnlyList<MediaAttachment> MediaAttachments { get; init; } = [];

    public IReadOnlyList<CustomEmoji> Emojis { get; init; } = [];
}
