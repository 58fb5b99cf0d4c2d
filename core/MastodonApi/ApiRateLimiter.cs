using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Mastodon's API rate limits (docs: api/rate-limits): <see cref="AccountLimit"/> requests per 5 minutes per account,
/// <see cref="AddressLimit"/> per client address for requests without a valid token, in fixed 5-minute windows aligned to
/// the clock. Every answer carries <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c>
/// (ISO 8601, the window's end); a request over the limit gets 429 <c>{"error":"Too many requests"}</c>.
/// Counting is in memory, per process: on a scaled-out host each instance counts on its own, so the effective limit is
/// the configured one times the number of instances that served the client (an approximation accepted to spend no
/// storage transaction per request; docs/PERFORMANCE.md). The client address is the trusted one (<see cref="ClientAddress"/>),
/// never a header the client chose; addresses live only in this memory, for at most one window, and are never stored or
/// logged. At most <see cref="MaxTrackedClients"/> accounts and addresses are counted per window (<see cref="WindowCounters"/>).
/// </summary>
public sealed class ApiRateLimiter(TimeProvider time, ClientAddress addresses)
{
    public const int AccountLimit = 300;

    public const int AddressLimit = 1500;

    /// <summary>Accounts and addresses counted per window; beyond it new clients share one counter (about 200 bytes each).</summary>
    public const int MaxTrackedClients = 50_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly WindowCounters _counters = new(time, Window, MaxTrackedClients);

    /// <summary>Counts one request of <paramref name="accountId"/>; sets the headers and answers the 429 when over the limit.</summary>
    public WireResult? HitAccount(HttpRequest request, string accountId) => Hit(request, "a:" + accountId, AccountLimit);

    /// <summary>Counts one request without a valid token, by client address.</summary>
    public WireResult? HitAddress(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Hit(request, "i:" + addresses.Of(request), AddressLimit);
    }

    /// <summary>The decision for one more request under <paramref name="key"/>; pure bookkeeping, no I/O.</summary>
    public (bool Allowed, int Remaining, DateTimeOffset Reset) Count(string key, int limit) => _counters.Hit(key, limit);

    /// <summary>Keys counted now (bounded by <see cref="MaxTrackedClients"/> plus the shared overflow counter).</summary>
    internal int TrackedClients => _counters.Count;

    private WireResult? Hit(HttpRequest request, string key, int limit)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (allowed, remaining, reset) = Count(key, limit);
        var headers = new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };

        // Set on the response itself so that whatever result the endpoint returns carries them.
        foreach (var (name, value) in headers)
        {
            request.HttpContext.Response.Headers[name] = value;
        }

        if (allowed)
        {
            return null;
        }

        var refused = WireResult.Error(StatusCodes.Status429TooManyRequests, "Too many requests").WithCors();
        foreach (var (name, value) in headers)
        {
            refused.WithHeader(name, value);
        }

        return refused.WithHeader("Retry-After", ((int)Math.Ceiling((reset - time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture));
    }
}
