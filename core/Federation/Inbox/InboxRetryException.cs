namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// Thrown by <see cref="InboxProcessor.RetryThroughQueue"/> for <see cref="ActivityOutcome.RetryLater"/>: the queue's
/// own retry (the host delivers a failed message again). Only the queue edge throws it.
/// </summary>
public sealed class InboxRetryException : Exception
{
    public InboxRetryException()
        : this("retry later")
    {
    }

    public InboxRetryException(string message)
        : base(message)
    {
    }

    public InboxRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
