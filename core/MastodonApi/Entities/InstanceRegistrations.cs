namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>registrations</c> of the Instance (docs: entities/Instance#registrations; <c>reason_required</c> and <c>min_age</c>
/// since Mastodon 4.4); accounts are created by the operator, so sign-up is closed.
/// </summary>
public sealed record InstanceRegistrations(bool Enabled, bool ApprovalRequired, bool ReasonRequired, string? Message, int? MinAge, string? Url);
