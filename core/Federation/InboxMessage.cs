namespace ServerlessFedi.Federation;

/// <summary>
/// An inbound activity accepted by an inbox, for the inbox queue. <see cref="Activity"/> holds the JSON, or
/// <see cref="PayloadBlob"/> names the blob holding it when it is too large for a queue message. Which inbox received it
/// (personal or shared) does not matter to how it is applied, so it is not kept (messages from before that carry a
/// <c>recipient</c> still read: unknown properties are skipped). <see cref="Attempt"/> counts the tries that answered
/// "try later" (<see cref="Inbox.ActivityOutcome.RetryLater"/>), the first being 1; <see cref="LastFailure"/> is the reason of
/// the last one, kept in the poison queue when the retries are used up.
/// </summary>
public sealed record InboxMessage(
    string? Activity,
    string? PayloadBlob,
    string SignerActorId,
    DateTimeOffset ReceivedAt,
    int Attempt = 1,
    string? LastFailure = null);
