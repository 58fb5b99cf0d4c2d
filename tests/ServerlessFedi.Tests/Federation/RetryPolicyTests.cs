using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>The delivery retry schedule: growing, jittered within ±20%, deterministic per seed, bounded in attempts and total time.</summary>
[TestClass]
public sealed class RetryPolicyTests
{
    /// <summary>The documented base delay before attempt n + 1, for n = 1 .. MaxAttempts - 1.</summary>
    private static readonly TimeSpan[] BaseDelays =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8),
        TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12),
    ];

    private static IEnumerable<string> Seeds => Enumerable.Range(0, 200).Select(i => $"https://host{i}.example/inbox|{i * 7919}");

    /// <summary>Every delay until the policy gives up, starting from a first attempt at elapsed zero.</summary>
    private static List<TimeSpan> Schedule(string seed)
    {
        var delays = new List<TimeSpan>();
        var elapsed = TimeSpan.Zero;
        for (var attempt = 1; RetryPolicy.NextDelay(attempt, elapsed, seed) is { } delay; attempt++)
        {
            delays.Add(delay);
            elapsed += delay;
        }

        return delays;
    }

    [TestMethod]
    public void The_base_schedule_strictly_grows_until_its_plateau()
    {
        Assert.HasCount(RetryPolicy.MaxAttempts - 1, BaseDelays);
        var seed = Seeds.First();
        for (var attempt = 1; attempt < RetryPolicy.MaxAttempts; attempt++)
        {
            var delay = RetryPolicy.NextDelay(attempt, TimeSpan.Zero, seed)!.Value;
            var unjittered = delay.TotalSeconds / RetryPolicy.Jitter(seed, attempt);
            Assert.AreEqual(BaseDelays[attempt - 1].TotalSeconds, unjittered, 0.001, $"attempt {attempt}");
        }

        var plateau = BaseDelays.Max();
        var firstAtPlateau = Array.IndexOf(BaseDelays, plateau);
        for (var i = 1; i <= firstAtPlateau; i++)
        {
            Assert.IsGreaterThan(BaseDelays[i - 1], BaseDelays[i], $"delay {i + 1} must be longer than delay {i}");
        }

        Assert.IsTrue(BaseDelays[firstAtPlateau..].All(d => d == plateau), "after the plateau is reached the delay stays there");
    }

    [TestMethod]
    public void Every_delay_is_within_twenty_percent_of_its_base()
    {
        foreach (var seed in Seeds)
        {
            for (var attempt = 1; attempt < RetryPolicy.MaxAttempts; attempt++)
            {
                var delay = RetryPolicy.NextDelay(attempt, TimeSpan.Zero, seed)!.Value;
                var baseDelay = BaseDelays[attempt - 1];
                Assert.IsTrue(delay >= baseDelay * 0.8 && delay <= baseDelay * 1.2, $"attempt {attempt} with seed {seed}: {delay} vs base {baseDelay}");
            }
        }
    }

    [TestMethod]
    public void The_jitter_actually_spreads_deliveries_of_one_attempt()
    {
        var firstDelays = Seeds.Select(seed => RetryPolicy.NextDelay(1, TimeSpan.Zero, seed)!.Value).Distinct().ToList();

        Assert.IsGreaterThan(150, firstDelays.Count, "200 seeds should give (nearly) 200 different delays");
        Assert.IsLessThan(TimeSpan.FromSeconds(27), firstDelays.Min());
        Assert.IsGreaterThan(TimeSpan.FromSeconds(33), firstDelays.Max());
    }

    [TestMethod]
    public void The_schedule_is_the_same_for_the_same_seed_and_differs_between_seeds()
    {
        var seed = "https://mastodon.example/inbox|42";

        CollectionAssert.AreEqual(Schedule(seed), Schedule(seed));
        CollectionAssert.AreNotEqual(Schedule(seed), Schedule(seed + "x"));
    }

    [TestMethod]
    public void All_delays_together_never_exceed_48_hours()
    {
        foreach (var seed in Seeds)
        {
            var total = Schedule(seed).Aggregate(TimeSpan.Zero, (a, b) => a + b);
            Assert.IsLessThanOrEqualTo(TimeSpan.FromHours(48), total, seed);
            Assert.IsLessThanOrEqualTo(RetryPolicy.MaxTotal, total, seed);
        }
    }

    [TestMethod]
    public void Retries_span_more_than_40_hours()
    {
        foreach (var seed in Seeds)
        {
            var total = Schedule(seed).Aggregate(TimeSpan.Zero, (a, b) => a + b);
            Assert.IsGreaterThan(TimeSpan.FromHours(40), total, seed);
        }
    }

    [TestMethod]
    public void It_gives_up_at_MaxAttempts()
    {
        var seed = Seeds.First();

        Assert.IsNotNull(RetryPolicy.NextDelay(RetryPolicy.MaxAttempts - 1, TimeSpan.Zero, seed));
        Assert.IsNull(RetryPolicy.NextDelay(RetryPolicy.MaxAttempts, TimeSpan.Zero, seed));
        Assert.IsNull(RetryPolicy.NextDelay(RetryPolicy.MaxAttempts + 5, TimeSpan.Zero, seed));
        Assert.HasCount(RetryPolicy.MaxAttempts - 1, Schedule(seed), "one delay between each pair of attempts");
    }

    [TestMethod]
    public void It_gives_up_when_the_next_attempt_would_fall_after_MaxTotal()
    {
        var seed = Seeds.First();
        var delay = RetryPolicy.NextDelay(3, TimeSpan.Zero, seed)!.Value;

        Assert.AreEqual(delay, RetryPolicy.NextDelay(3, RetryPolicy.MaxTotal - delay, seed));
        Assert.IsNull(RetryPolicy.NextDelay(3, RetryPolicy.MaxTotal - delay + TimeSpan.FromSeconds(1), seed));
        Assert.IsNull(RetryPolicy.NextDelay(1, RetryPolicy.MaxTotal, seed));
    }

    [TestMethod]
    public void Attempt_numbers_below_one_give_up()
    {
        Assert.IsNull(RetryPolicy.NextDelay(0, TimeSpan.Zero, "seed"));
        Assert.IsNull(RetryPolicy.NextDelay(-1, TimeSpan.Zero, "seed"));
    }

    [TestMethod]
    public void A_longer_Retry_After_is_honoured()
    {
        var seed = Seeds.First();

        Assert.AreEqual(TimeSpan.FromHours(1), RetryPolicy.NextDelay(1, TimeSpan.Zero, seed, TimeSpan.FromHours(1)));
        Assert.AreEqual(TimeSpan.FromHours(9.9), RetryPolicy.NextDelay(7, TimeSpan.Zero, seed, TimeSpan.FromHours(9.9)));
    }

    [TestMethod]
    public void A_shorter_Retry_After_does_not_shorten_the_delay()
    {
        var seed = Seeds.First();
        var scheduled = RetryPolicy.NextDelay(4, TimeSpan.Zero, seed);

        Assert.AreEqual(scheduled, RetryPolicy.NextDelay(4, TimeSpan.Zero, seed, TimeSpan.FromSeconds(5)));
        Assert.AreEqual(scheduled, RetryPolicy.NextDelay(4, TimeSpan.Zero, seed, TimeSpan.Zero));
    }

    [TestMethod]
    public void Retry_After_is_capped_at_12_hours()
    {
        var seed = Seeds.First();

        Assert.AreEqual(TimeSpan.FromHours(12), RetryPolicy.NextDelay(1, TimeSpan.Zero, seed, TimeSpan.FromDays(3)));
        Assert.AreEqual(TimeSpan.FromHours(12), RetryPolicy.NextDelay(1, TimeSpan.Zero, seed, TimeSpan.FromHours(12)));
    }

    [TestMethod]
    public void A_delay_beyond_the_total_window_becomes_one_last_attempt_at_its_end()
    {
        Assert.AreEqual(TimeSpan.FromHours(8), RetryPolicy.NextDelay(2, TimeSpan.FromHours(40), Seeds.First(), TimeSpan.FromHours(10)));
        Assert.AreEqual(TimeSpan.FromHours(2), RetryPolicy.NextDelay(10, TimeSpan.FromHours(46), Seeds.First()));
        Assert.IsNull(RetryPolicy.NextDelay(10, TimeSpan.FromHours(47.5), Seeds.First()));
    }
}
