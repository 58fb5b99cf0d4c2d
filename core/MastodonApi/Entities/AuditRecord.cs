namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>One row of an agency's audit trail as its managers see it (docs/TEAM.md): <see cref="Staff"/> null for the agency's own login.</summary>
public sealed record AuditRecord(string Id, DateTimeOffset CreatedAt, string? Staff, string? Application, string Action, string? ObjectId);
