namespace ServerlessFedi.Team;

/// <summary>
/// One write through the client API: when, by whom (a staff name, or null for the agency's own login), with which
/// application, what (method and route template, e.g. <c>POST /api/v1/statuses</c>) and on which object (the answer's
/// <c>id</c>, when it has one). No address, no user agent.
/// </summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string? Staff, string? Application, string Action, string? ObjectId);
