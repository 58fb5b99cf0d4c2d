namespace ServerlessFedi.Federation;

/// <summary>
/// One signed POST of an activity to one inbox. <see cref="SenderId"/> is a local account id (or
/// <see cref="InstanceSender"/>); the private key is read from storage at delivery time and never travels in the queue.
/// </summary>
public sealed record DeliveryMessage(
    string SenderId,
    string Inbox,
    string? Activity,
    string? PayloadBlob,
    int Attempt,
    DateTimeOffset FirstAttemptAt)
{
    public const string InstanceSender = "instance";
}
