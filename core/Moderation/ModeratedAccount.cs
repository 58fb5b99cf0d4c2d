namespace ServerlessFedi.Moderation;

/// <summary>
/// A remote account the operator silenced or suspended (<c>admin accounts silence|suspend</c>), by its actor id;
/// <see cref="Acct"/> is the handle it was named by, for listing and <c>unsuspend</c>.
/// </summary>
public sealed record ModeratedAccount(string ActorId, string Acct, DomainSeverity Severity, DateTimeOffset CreatedAt);
