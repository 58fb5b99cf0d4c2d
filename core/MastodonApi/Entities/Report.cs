namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Report (docs: entities/Report): a report the caller filed; <see cref="ActionTaken"/> once the operator resolved it.</summary>
public sealed record Report
{
    public required string Id { get; init; }

    public bool ActionTaken { get; init; }

    public DateTimeOffset? ActionTakenAt { get; init; }

    /// <summary><c>spam</c>, <c>legal</c>, <c>violation</c> or <c>other</c>.</summary>
    public required string Category { get; init; }

    public required string Comment { get; init; }

    public bool Forwarded { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<string>? StatusIds { get; init; }

    public IReadOnlyList<string>? RuleIds { get; init; }

    public required Account TargetAccount { get; init; }
}
