namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>PrivacyPolicy (docs: entities/PrivacyPolicy).</summary>
public sealed record PrivacyPolicy(DateTimeOffset UpdatedAt, string Content);
