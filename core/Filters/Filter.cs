namespace ServerlessFedi.Filters;

/// <summary>A content filter of a local account (entities/Filter): keywords and statuses it hides or warns about in the given contexts.</summary>
public sealed record Filter
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Title { get; init; }

    /// <summary>Where it applies: home, notifications, public, thread, account.</summary>
    public required IReadOnlyList<string> Context { get; init; }

    /// <summary>warn, hide or blur.</summary>
    public string Action { get; init; } = "warn";

    public DateTimeOffset? ExpiresAt { get; init; }

    public IReadOnlyList<FilterKeyword> Keywords { get; init; } = [];

    public IReadOnlyList<FilterStatus> Statuses { get; init; } = [];

    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
