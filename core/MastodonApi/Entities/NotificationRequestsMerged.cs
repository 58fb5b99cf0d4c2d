namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The answer of <c>GET /api/v1/notifications/requests/merged</c> (docs: methods/notifications#requests-merged).</summary>
public sealed record NotificationRequestsMerged(bool Merged);
