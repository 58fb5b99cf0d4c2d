namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[polls]</c>: the limits of a new poll (expirations in seconds).</summary>
public sealed record ConfigurationPolls(int MaxOptions, int MaxCharactersPerOption, int MinExpiration, int MaxExpiration);
