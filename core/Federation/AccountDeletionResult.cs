namespace ServerlessFedi.Federation;

/// <summary>What <c>admin account delete</c> did at once; the rest is queued. <see cref="Error"/> is set when nothing was done.</summary>
public sealed record AccountDeletionResult(string? Error, string? AccountId = null, int TokensRevoked = 0, bool AlreadyDeleted = false, long Statuses = 0, long Followers = 0, long Following = 0);
