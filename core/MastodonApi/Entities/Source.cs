namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The owner's editable profile and posting defaults (docs: entities/Account#source).</summary>
public sealed record Source
{
    public required string Privacy { get; init; }

    public bool Sensitive { get; init; }

    /// <summary>ISO 639 code, or the empty string when unset.</summary>
    public required string Language { get; init; }

    /// <summary>The bio as typed.</summary>
    public required string Note { get; init; }

    public IReadOnlyList<Field> Fields { get; init; } = [];

    public int FollowRequestsCount { get; init; }

    public bool HideCollections { get; init; }

    public bool Discoverable { get; init; }

    public bool Indexable { get; init; }

    public IReadOnlyList<string> AttributionDomains { get; init; } = [];
}
