namespace ServerlessFedi.Push;

/// <summary>
/// A subscription as an app sends it (docs: methods/push#create): <c>subscription[endpoint]</c>, <c>subscription[keys][p256dh]</c>,
/// <c>subscription[keys][auth]</c>, <c>subscription[standard]</c>, and <c>data[alerts][type]</c> (null: not sent) and <c>data[policy]</c>.
/// </summary>
public sealed record PushSubscriptionRequest(string? Endpoint, string? P256dh, string? Auth, bool Standard, IReadOnlyDictionary<string, bool> Alerts, string? Policy);
