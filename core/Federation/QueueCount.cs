namespace ServerlessFedi.Federation;

/// <summary>
/// One work queue's approximate message count and its <c>-poison</c> twin's; null when the queue does not exist yet
/// (queues are created on first use).
/// </summary>
public sealed record QueueCount(string Queue, int? Messages, int? Poisoned);
