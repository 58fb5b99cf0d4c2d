namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>One choice of a <see cref="Poll"/> (docs: entities/Poll#Option); the count is null while results are hidden.</summary>
public sealed record PollOption(string Title, long? VotesCount);
