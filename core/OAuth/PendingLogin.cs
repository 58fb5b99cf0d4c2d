namespace ServerlessFedi.OAuth;

/// <summary>
/// A login whose password was right and whose second factor is still asked: the account, what the ticket is bound to
/// (<see cref="PendingLoginStore.Binding"/>), its expiry and the row's ETag (to complete it once).
/// </summary>
public sealed record PendingLogin(string TicketHash, string AccountId, string Binding, DateTimeOffset ExpiresAt, string ETag);
