using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.Federation;

/// <summary>
/// When to try a failed delivery again: a pure function of the attempt number (and a seed for jitter), as in Fedify's
/// retry policy. Up to twelve attempts over about two days (Mastodon's Sidekiq retries cover a similar span), each delay
/// jittered by ±20% so a recovering server is not hit by every queued delivery at once; the last attempt is placed at
/// the end of the 48-hour window when a full delay would overshoot it.
/// </summary>
public static class RetryPolicy
{
    public const int MaxAttempts = 12;

    public static readonly TimeSpan MaxTotal = TimeSpan.FromHours(48);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8),
        TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12),
    ];

    /// <summary>
    /// The delay before attempt <paramref name="failedAttempt"/> + 1, or null to give up (attempts or total time exhausted).
    /// <paramref name="retryAfter"/> from the server is honoured when longer.
    /// </summary>
    public static TimeSpan? NextDelay(int failedAttempt, TimeSpan elapsedSinceFirstAttempt, string seed, TimeSpan? retryAfter = null)
    {
        if (failedAttempt < 1 || failedAttempt >= MaxAttempts)
        {
            return null;
        }

        var baseDelay = Delays[Math.Min(failedAttempt, Delays.Length) - 1];
        var delay = TimeSpan.FromTicks((long)(baseDelay.Ticks * Jitter(seed, failedAttempt)));
        if (retryAfter is { } ra && ra > delay)
        {
            delay = ra > TimeSpan.FromHours(12) ? TimeSpan.FromHours(12) : ra;
        }

        if (elapsedSinceFirstAttempt + delay <= MaxTotal)
        {
            return delay;
        }

        // One last attempt at the end of the window, unless the window is all but used up.
        var remaining = MaxTotal - elapsedSinceFirstAttempt;
        return remaining >= TimeSpan.FromHours(1) ? remaining : null;
    }

    /// <summary>0.8 .. 1.2, deterministic per (seed, attempt) so tests and replays see the same schedule.</summary>
    internal static double Jitter(string seed, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{attempt}"));
        var unit = BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
        return 0.8 + (0.4 * unit);
    }
}
