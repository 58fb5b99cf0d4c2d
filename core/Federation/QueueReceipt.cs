namespace ServerlessFedi.Federation;

/// <summary>What deleting a sent queue message needs: its id and the pop receipt the send returned.</summary>
public sealed record QueueReceipt(string MessageId, string PopReceipt);
