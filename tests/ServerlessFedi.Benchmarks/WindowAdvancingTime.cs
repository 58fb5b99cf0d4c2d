using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The clock of the benchmark instance's API rate limiter: one <see cref="ApiRateLimiter.Window"/> ahead of the real time
/// for every 100 times it is read, so that scenario R's reader (thousands of requests in a few minutes, against Mastodon's
/// 300 per account per 5 minutes) is never limited, while every request still pays the limiter's counting as it does in
/// production. A limiter reads the time at most twice per request, so no window sees more than 100 requests.
/// </summary>
internal sealed class WindowAdvancingTime : TimeProvider
{
    private long _reads;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ApiRateLimiter.Window * (Interlocked.Increment(ref _reads) / 100);
}
