using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Push;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Push subscriptions onto the wire (docs: entities/WebPushSubscription).</summary>
public static class PushSubscriptionMapper
{
    public static WebPushSubscription ToWebPushSubscription(PushSubscription s, string serverKey)
    {
        ArgumentNullException.ThrowIfNull(s);
        bool On(string alert) => s.Alerts.Contains(alert);
        return new WebPushSubscription(
            s.Id,
            s.Endpoint,
            s.Standard,
            new WebPushSubscriptionAlerts(On("mention"), On("status"), On("reblog"), On("follow"), On("follow_request"), On("favourite"), On("poll"), On("update"), On("admin.sign_up"), On("admin.report"), On("quote"), On("quoted_update")),
            serverKey,
            s.Policy.ToString().ToLowerInvariant());
    }
}
