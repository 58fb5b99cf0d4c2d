namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The application a status was posted with (docs: entities/Status#application).</summary>
public sealed record StatusApplication(string Name, string? Website);
