namespace ServerlessFedi.Federation;

/// <summary>
/// One signed POST of an activity to one inbox. <see cref="SenderId"/> is a local account id (or
/// <see cref="InstanceSender"/>); the private key is read from storage at delivery time and never travels in the queue.
/// <see cref="Subject"/> names the local status a Create, Update or Delete is about (null for other activities).
/// </summary>
public sealed record DeliveryMessage(
    string SenderId,
    string Inbox,
    string? Activity,
    string? PayloadBlob,
    int Attempt,
    DateTimeOffset FirstAttemptAt,
    DeliverySubject? Subject = null)
{
    public const string InstanceSender = "instance";
}
