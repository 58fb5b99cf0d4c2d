namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>StatusSource (docs: entities/StatusSource): the text as the author wrote it, for editing.</summary>
public sealed record StatusSource(string Id, string Text, string SpoilerText);
