namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Bounded polling for work done by the standalone host's background queue listeners, which a test cannot step by itself.
/// Used only there; everything else is awaited directly.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        T last;
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

            await Task.Delay(Interval);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? deadline = null) =>
        ValueAsync(probe, ok => ok, what, deadline);
}
