namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Filter (docs: entities/Filter), v2.</summary>
public sealed record Filter
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>home, notifications, public, thread, account.</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>warn, hide or blur.</summary>
    public required string FilterAction { get; init; }

    public IReadOnlyList<FilterKeyword> Keywords { get; init; } = [];

    public IReadOnlyList<FilterStatus> Statuses { get; init; } = [];
}
