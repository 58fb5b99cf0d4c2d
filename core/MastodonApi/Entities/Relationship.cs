namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Relationship (docs: entities/Relationship).</summary>
public sealed record Relationship
{
    public required string Id { get; init; }

    public bool Following { get; init; }

    public bool ShowingReblogs { get; init; }

    public bool Notifying { get; init; }

    /// <summary>Languages the viewer sees from this account; null means all.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    public bool FollowedBy { get; init; }

    public bool Blocking { get; init; }

    public bool BlockedBy { get; init; }

    public bool Muting { get; init; }

    public bool MutingNotifications { get; init; }

    public bool Requested { get; init; }

    public bool RequestedBy { get; init; }

    public bool DomainBlocking { get; init; }

    public bool Endorsed { get; init; }

    public string Note { get; init; } = "";
}
