using Azure;

namespace ServerlessFedi.Statuses;

/// <summary>A claimed <c>Idempotency-Key</c> of an account, as this request holds it (the row's ETag at the claim).</summary>
public sealed record IdempotencyClaim(string AccountId, string Key, ETag ETag);
