namespace ServerlessFedi.OAuth;

/// <summary>
/// A login whose password was right and whose second factor is still asked: the account, what the ticket is bound to
/// (<see cref="PendingLoginStore.Binding"/>), its expiry, the row's ETag (to complete it once) and the staff member
/// logging in for the account (null for its own login).
/// </summary>
public sealed record PendingLogin(string TicketHash, string AccountId, string Binding, DateTimeOffset ExpiresAt, string ETag, string? Staff = null);
