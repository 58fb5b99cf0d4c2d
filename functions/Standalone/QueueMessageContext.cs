namespace ServerlessFedi.Functions.Standalone;

/// <summary>Binding data the host offers a queue function besides the message.</summary>
public sealed record QueueMessageContext(string MessageId, long DequeueCount, DateTimeOffset? InsertedOn);
