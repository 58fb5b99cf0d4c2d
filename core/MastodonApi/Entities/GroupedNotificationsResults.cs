using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// GroupedNotificationsResults (docs: entities/GroupedNotificationsResults): accounts and statuses once each, groups
/// referring to them by id; <c>partial_accounts</c> only with <c>expand_accounts=partial_avatars</c>.
/// </summary>
public sealed record GroupedNotificationsResults
{
    public IReadOnlyList<Account> Accounts { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PartialAccountWithAvatar>? PartialAccounts { get; init; }

    public IReadOnlyList<Status> Statuses { get; init; } = [];

    public IReadOnlyList<NotificationGroup> NotificationGroups { get; init; } = [];
}
