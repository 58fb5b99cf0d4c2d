namespace ServerlessFedi.Federation;

/// <summary>
/// An inbound activity accepted by an inbox, for the inbox queue. <see cref="Activity"/> holds the JSON, or
/// <see cref="PayloadBlob"/> names the blob holding it when it is too large for a queue message.
/// </summary>
public sealed record InboxMessage(
    string? Recipient,
    string? Activity,
    string? PayloadBlob,
    string SignerActorId,
    DateTimeOffset ReceivedAt);
