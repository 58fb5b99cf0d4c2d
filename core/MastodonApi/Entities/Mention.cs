namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>A mentioned account (docs: entities/Status#Mention).</summary>
public sealed record Mention(string Id, string Username, string Url, string Acct);
