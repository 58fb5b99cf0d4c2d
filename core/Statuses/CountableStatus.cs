using Azure;

namespace ServerlessFedi.Statuses;

/// <summary>
/// A status as read for counting an interaction in the same request (<see cref="InteractionCountStore.ReadAsync"/>): its
/// row's <see cref="ETag"/>, and whether changes of its counts wait in pending rows (<see cref="HasPending"/>).
/// </summary>
public sealed record CountableStatus(Status Status, ETag ETag, bool HasPending);
