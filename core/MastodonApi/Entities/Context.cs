namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Context (docs: entities/Context): a status's visible ancestors (oldest first) and descendants.</summary>
public sealed record Context(IReadOnlyList<Status> Ancestors, IReadOnlyList<Status> Descendants);
