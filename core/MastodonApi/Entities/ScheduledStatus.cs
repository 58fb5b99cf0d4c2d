namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>ScheduledStatus (docs: entities/ScheduledStatus): a status to be published at <see cref="ScheduledAt"/>.</summary>
public sealed record ScheduledStatus(string Id, DateTimeOffset ScheduledAt, ScheduledStatusParams Params, IReadOnlyList<MediaAttachment> MediaAttachments);
