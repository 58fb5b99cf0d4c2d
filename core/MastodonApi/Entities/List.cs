namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>List (docs: entities/List).</summary>
public sealed record List(string Id, string Title, string RepliesPolicy, bool Exclusive);
