namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Search (docs: entities/Search): the results of <c>/api/v2/search</c>.</summary>
public sealed record Search(IReadOnlyList<Account> Accounts, IReadOnlyList<Status> Statuses, IReadOnlyList<Tag> Hashtags);
