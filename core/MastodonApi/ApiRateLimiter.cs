using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
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
/// storage transaction per request; docs/PERFORMANCE.md). Client addresses live only in this memory, for at most one
/// window, and are never stored or logged.
/// </summary>
public sealed class ApiRateLimiter(TimeProvider time)
{
    public const int AccountLimit = 300;

    public const int AddressLimit = 1500;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Above this many tracked clients, counters of past windows are dropped (memory stays bounded).</summary>
    private const int PruneAbove = 20_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>Counts one request of <paramref name="accountId"/>; sets the headers and answers the 429 when over the limit.</summary>
    public WireResult? HitAccount(HttpRequest request, string accountId) => Hit(request, "a:" + accountId, AccountLimit);

    /// <summary>Counts one request without a valid token, by client address.</summary>
    public WireResult? HitAddress(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Hit(request, "i:" + ClientAddress(request), AddressLimit);
    }

    /// <summary>The decision for one more request under <paramref name="key"/>; pure bookkeeping, no I/O.</summary>
    public (bool Allowed, int Remaining, DateTimeOffset Reset) Count(string key, int limit)
    {
        var now = time.GetUtcNow();
        var window = now.UtcTicks / Window.Ticks;
        var reset = new DateTimeOffset((window + 1) * Window.Ticks, TimeSpan.Zero);
        if (_counters.Count > PruneAbove)
        {
            foreach (var (k, c) in _counters)
            {
                if (c.Window < window)
                {
                    _counters.TryRemove(k, out _);
                }
            }
        }

        var counter = _counters.GetOrAdd(key, _ => new Counter());
        int used;
        lock (counter)
        {
            if (counter.Window != window)
            {
                counter.Window = window;
                counter.Used = 0;
            }

            used = ++counter.Used;
        }

        return (used <= limit, Math.Max(0, limit - used), reset);
    }

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

    /// <summary>
    /// The client's address as the platform reports it: Front Door's <c>X-Azure-ClientIP</c>, else the last
    /// <c>X-Forwarded-For</c> entry (the one the platform's front end appended; earlier entries are the client's own
    /// claim), else the connection's peer.
    /// </summary>
    private static string ClientAddress(HttpRequest request)
    {
        var frontDoor = request.Headers["X-Azure-ClientIP"].ToString().Trim();
        if (IPAddress.TryParse(frontDoor, out var fd))
        {
            return fd.ToString();
        }

        var forwarded = request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (forwarded.Length > 0)
        {
            var last = forwarded[^1];
            // App Service appends "address:port" for IPv4.
            if (IPEndPoint.TryParse(last, out var endpoint))
            {
                return endpoint.Address.ToString();
            }
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private sealed class Counter
    {
        public long Window { get; set; } = -1;

        public int Used { get; set; }
    }
}
