using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// Poll (docs: entities/Poll). The id is its status's id. <c>voted</c> and <c>own_votes</c> are written only for a
/// signed-in viewer, as Mastodon does; <c>voters_count</c> and the options' counts are null while totals are hidden.
/// </summary>
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

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Voted { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? OwnVotes { get; init; }
}
