namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>registrations</c> of the Instance; accounts are created by the operator, so sign-up is closed.</summary>
public sealed record InstanceRegistrations(bool Enabled, bool ApprovalRequired, string? Message, string? Url);
