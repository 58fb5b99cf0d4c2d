namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>WebPushSubscription (docs: entities/WebPushSubscription): where and what the token's app is pushed, and the server's VAPID key.</summary>
public sealed record WebPushSubscription(string Id, string Endpoint, bool Standard, WebPushSubscriptionAlerts Alerts, string ServerKey, string Policy);
