namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// NotificationPolicy (docs: entities/NotificationPolicy, v2 since Mastodon 4.3): what happens to notifications from
/// each kind of sender, <c>accept</c>, <c>filter</c> or <c>drop</c>, and how many are waiting as requests.
/// </summary>
public sealed record NotificationPolicy(
    string ForNotFollowing,
    string ForNotFollowers,
    string ForNewAccounts,
    string ForPrivateMentions,
    string ForLimitedAccounts,
    NotificationPolicySummary Summary);
