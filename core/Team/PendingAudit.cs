namespace ServerlessFedi.Team;

/// <summary>
/// An audit row prepared in the request with its id and time fixed (<see cref="AuditStore.Prepare"/>), so that a queue
/// message sent before the write can carry it and record it (<see cref="AuditStore.RecordAsync(PendingAudit, CancellationToken)"/>),
/// the same row however often the message runs.
/// </summary>
/// <param name="AgencyId">The account whose token made the write.</param>
/// <param name="Entry">The row.</param>
public sealed record PendingAudit(string AgencyId, AuditEntry Entry);
