namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Bounded polling for work done by the standalone host's background queue listeners, which a test cannot step by itself.
/// Used only there; everything else is awaited directly.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The first pause, growing by half each time up to <see cref="MaxInterval"/>: quick work is seen at once, and a long wait
    /// (a retry 30 s later) polls a few dozen times, not hundreds, so API probes stay under the instance's rate limits.
    /// </summary>
    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(1);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        T last;
        var interval = FirstInterval;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{what} did not happen within {(deadline ?? Deadline).TotalSeconds:0} s (last value: {last})");
            }

            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, interval.Ticks * 3 / 2));
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? deadline = null) =>
        ValueAsync(probe, ok => ok, what, deadline);
}
