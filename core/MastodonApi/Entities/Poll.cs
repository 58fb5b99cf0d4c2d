namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Poll (docs: entities/Poll). Polls cannot be created here yet, so every status answers <c>"poll": null</c>.</summary>
public sealed record Poll
{
    public required string Id { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Expired { get; init; }

    public bool Multiple { get; init; }

    public long VotesCount { get; init; }

    public long? VotersCount { get; init; }

    public IReadOnlyList<PollOption> Options { get; init; } = [];

    public IReadOnlyList<CustomEmoji> Emojis { get; init; } = [];
}
