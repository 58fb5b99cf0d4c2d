using ServerlessFedi.Federation;

namespace ServerlessFedi.Notifications;

/// <summary>Who caused a notification: the actor id shown to the recipient and the API account id that says whether it is the recipient.</summary>
public sealed record NotificationSender(string ActorId, string AccountId)
{
    /// <summary>A remote actor (its API id derives from the actor id).</summary>
    public static NotificationSender Remote(string actorId) => new(actorId, RemoteAccountIds.For(actorId));
}
