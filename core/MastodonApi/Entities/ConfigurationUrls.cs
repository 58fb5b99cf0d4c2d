namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[urls]</c> (v2).</summary>
public sealed record ConfigurationUrls(string Streaming, string? Status);
