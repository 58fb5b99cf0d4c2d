using Azure;

namespace ServerlessFedi.MastodonApi;

/// <summary>A claimed <c>Idempotency-Key</c> row (its keys and ETag); <see cref="None"/> when the request carried no key.</summary>
public sealed record IdempotencyClaim(string? Pk, string? Rk, ETag ETag)
{
    public static IdempotencyClaim None { get; } = new(null, null, default);
}
