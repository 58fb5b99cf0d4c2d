namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>A staff member of the caller's agency as its managers see it (this instance's extension, docs/TEAM.md); never the password hash.</summary>
public sealed record TeamMember(string Name, string? Email, string Role, DateTimeOffset CreatedAt);
