using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// NotificationGroup (docs: entities/GroupedNotificationsResults#NotificationGroup). The page fields are left out when a
/// single group is answered; <c>status_id</c> when the type has no status.
/// </summary>
public sealed record NotificationGroup
{
    public required string GroupKey { get; init; }

    public int NotificationsCount { get; init; }

    public required string Type { get; init; }

    public required string MostRecentNotificationId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PageMinId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PageMaxId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LatestPageNotificationAt { get; init; }

    public IReadOnlyList<string> SampleAccountIds { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusId { get; init; }
}
