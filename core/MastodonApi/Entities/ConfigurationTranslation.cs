namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[translation]</c> (v2).</summary>
public sealed record ConfigurationTranslation(bool Enabled);
