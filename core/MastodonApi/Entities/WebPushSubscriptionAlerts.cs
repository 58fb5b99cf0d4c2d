using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>WebPushSubscription's <c>alerts</c>: one flag per notification type (the admin ones keep Mastodon's dotted names).</summary>
public sealed record WebPushSubscriptionAlerts(
    bool Mention,
    bool Status,
    bool Reblog,
    bool Follow,
    bool FollowRequest,
    bool Favourite,
    bool Poll,
    bool Update,
    [property: JsonPropertyName("admin.sign_up")] bool AdminSignUp,
    [property: JsonPropertyName("admin.report")] bool AdminReport,
    bool Quote,
    bool QuotedUpdate);
