namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Conversation (docs: entities/Conversation): a direct thread, its other participants and its newest status.</summary>
public sealed record Conversation(string Id, bool Unread, IReadOnlyList<Account> Accounts, Status? LastStatus);
