namespace ServerlessFedi.Push;

/// <summary>
/// A Web Push subscription of one access token (docs: entities/WebPushSubscription): where to push (<see cref="Endpoint"/>),
/// the user agent's keys (<see cref="P256dh"/>, <see cref="Auth"/>), the notification types it wants
/// (<see cref="Alerts"/>, Mastodon's names) and from whom (<see cref="Policy"/>). <see cref="SealedToken"/> is the access
/// token sealed for the push payload's <c>access_token</c> (null when no sealing key is configured).
/// </summary>
public sealed record PushSubscription(
    string Id,
    string AccountId,
    string TokenHash,
    string Endpoint,
    byte[] P256dh,
    byte[] Auth,
    IReadOnlySet<string> Alerts,
    PushPolicy Policy,
    bool Standard,
    byte[]? SealedToken,
    DateTimeOffset CreatedAt)
{
    /// <summary>The alert names of Mastodon's notification types, in the order the entity lists them (Mastodon 4.5 adds <c>quote</c> and <c>quoted_update</c>).</summary>
    public static IReadOnlyList<string> AlertNames { get; } =
        ["mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update", "admin.sign_up", "admin.report", "quote", "quoted_update"];
}
