namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[statuses]</c>.</summary>
public sealed record ConfigurationStatuses(int MaxCharacters, int MaxMediaAttachments, int CharactersReservedPerUrl);
