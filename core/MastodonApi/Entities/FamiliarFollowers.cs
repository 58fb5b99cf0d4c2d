namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>FamiliarFollowers (docs: entities/FamiliarFollowers): accounts the viewer follows that also follow the account <see cref="Id"/>.</summary>
public sealed record FamiliarFollowers(string Id, IReadOnlyList<Account> Accounts);
