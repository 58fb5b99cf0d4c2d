namespace ServerlessFedi.Notifications;

/// <summary>What <see cref="Notifier.NotifyAsync"/> did.</summary>
public enum NotificationOutcome
{
    /// <summary>Written.</summary>
    Notified,

    /// <summary>The same cause had notified the recipient already.</summary>
    AlreadyNotified,

    /// <summary>The recipient hides the sender (block, mute, domain block): nothing written.</summary>
    Hidden,

    /// <summary>The sender is the recipient: nothing written.</summary>
    Self,

    /// <summary>The recipient muted the conversation of the status it is about: nothing written.</summary>
    MutedConversation,
}
