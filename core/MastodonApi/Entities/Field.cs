namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>A profile metadata pair (docs: entities/Account#Field); <c>value</c> is HTML on the Account, plain text in <see cref="Source"/>.</summary>
public sealed record Field(string Name, string Value, DateTimeOffset? VerifiedAt);
