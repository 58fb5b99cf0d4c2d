namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>api_versions</c> of the Instance (docs: entities/Instance#api-versions).</summary>
public sealed record InstanceApiVersions(int Mastodon);
