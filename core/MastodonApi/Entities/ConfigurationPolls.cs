namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[polls]</c>; all 0 while polls cannot be created.</summary>
public sealed record ConfigurationPolls(int MaxOptions, int MaxCharactersPerOption, int MinExpiration, int MaxExpiration);
