namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>One day of a <see cref="Tag"/>'s use (docs: entities/Tag#history); numbers as strings, as Mastodon writes them.</summary>
public sealed record TagHistory(string Day, string Uses, string Accounts);
