using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Storage;

[TestClass]
public sealed class SnowflakeIdsTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, 123, TimeSpan.Zero);

    [TestMethod]
    public void Ids_are_18_ascii_digits()
    {
        var ids = new SnowflakeIds(new FakeTimeProvider(Start));

        for (var i = 0; i < 100; i++)
        {
            Assert.MatchesRegex("^[0-9]{18}$", ids.Next());
        }
    }

    [TestMethod]
    public void Ids_from_the_system_clock_are_18_ascii_digits()
    {
        var id = new SnowflakeIds(TimeProvider.System).Next();

        Assert.MatchesRegex("^[0-9]{18}$", id);
        Assert.IsTrue(SnowflakeIds.IsValid(id));
    }

    [TestMethod]
    public void Consecutive_ids_within_one_millisecond_strictly_increase()
    {
        var ids = new SnowflakeIds(new FakeTimeProvider(Start));
        var previous = ids.Next();

        for (var i = 0; i < 10_000; i++)
        {
            var next = ids.Next();
            Assert.IsGreaterThan(long.Parse(previous, CultureInfo.InvariantCulture), long.Parse(next, CultureInfo.InvariantCulture));
            Assert.IsLessThan(0, string.CompareOrdinal(previous, next), $"{previous} does not sort before {next}");
            previous = next;
        }
    }

    [TestMethod]
    public void Consecutive_ids_with_a_moving_clock_strictly_increase()
    {
        var time = new FakeTimeProvider(Start);
        var ids = new SnowflakeIds(time);
        var previous = ids.Next();

        for (var i = 0; i < 10_000; i++)
        {
            if (i % 7 == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
            }

            var next = ids.Next();
            Assert.IsLessThan(0, string.CompareOrdinal(previous, next), $"{previous} does not sort before {next}");
            previous = next;
        }
    }

    [TestMethod]
    public void Clock_going_backwards_does_not_make_ids_decrease()
    {
        var time = new SettableClock { Now = Start };
        var ids = new SnowflakeIds(time);
        var before = ids.Next();
        time.Now = Start.AddSeconds(-5);

        var after = ids.Next();

        Assert.IsLessThan(0, string.CompareOrdinal(before, after));
    }

    [TestMethod]
    public void Ids_from_a_later_millisecond_sort_after_earlier_ones_across_generators()
    {
        var time = new FakeTimeProvider(Start);
        var first = new SnowflakeIds(time);
        var second = new SnowflakeIds(time);
        var earlier = Enumerable.Range(0, 100).Select(_ => first.Next()).Concat(Enumerable.Range(0, 100).Select(_ => second.Next())).ToArray();

        time.Advance(TimeSpan.FromMilliseconds(1));
        var later = Enumerable.Range(0, 100).Select(_ => second.Next()).Concat(Enumerable.Range(0, 100).Select(_ => first.Next())).ToArray();

        var latestEarlier = earlier.Max(StringComparer.Ordinal)!;
        var earliestLater = later.Min(StringComparer.Ordinal)!;
        Assert.IsLessThan(0, string.CompareOrdinal(latestEarlier, earliestLater), $"{latestEarlier} does not sort before {earliestLater}");
    }

    [TestMethod]
    public void Ids_a_day_apart_sort_in_time_order()
    {
        var time = new FakeTimeProvider(Start);
        var ids = new SnowflakeIds(time);
        var monday = ids.Next();
        time.Advance(TimeSpan.FromDays(1));

        var tuesday = new SnowflakeIds(time).Next();

        Assert.IsLessThan(0, string.CompareOrdinal(monday, tuesday));
    }

    [TestMethod]
    public void Time_of_an_id_is_the_clock_millisecond_it_was_made_at()
    {
        var time = new FakeTimeProvider(Start);
        var ids = new SnowflakeIds(time);

        Assert.AreEqual(Start, SnowflakeIds.TimeOf(ids.Next()));
        time.Advance(TimeSpan.FromMilliseconds(1_234.9));
        Assert.AreEqual(Start.AddMilliseconds(1_234), SnowflakeIds.TimeOf(ids.Next()));
    }

    [TestMethod]
    public void At_time_is_the_lower_bound_of_its_millisecond()
    {
        var time = new FakeTimeProvider(Start);
        var ids = new SnowflakeIds(time);
        var made = Enumerable.Range(0, 1_000).Select(_ => ids.Next()).ToArray();

        var lower = SnowflakeIds.AtTime(Start);
        var upper = SnowflakeIds.AtTime(Start.AddMilliseconds(1));

        Assert.IsTrue(SnowflakeIds.IsValid(lower));
        Assert.AreEqual(Start, SnowflakeIds.TimeOf(lower));
        Assert.AreEqual(Start.AddMilliseconds(1), SnowflakeIds.TimeOf(upper));
        foreach (var id in made)
        {
            Assert.IsLessThanOrEqualTo(0, string.CompareOrdinal(lower, id), $"{id} sorts before {lower}");
            Assert.IsLessThan(0, string.CompareOrdinal(id, upper), $"{id} does not sort before {upper}");
        }
    }

    [TestMethod]
    public void At_time_ignores_sub_millisecond_ticks()
    {
        Assert.AreEqual(SnowflakeIds.AtTime(Start), SnowflakeIds.AtTime(Start.AddTicks(9_999)));
        Assert.AreEqual(0, long.Parse(SnowflakeIds.AtTime(Start), CultureInfo.InvariantCulture) & 0xFFFF);
    }

    [TestMethod]
    public void Ids_of_this_century_keep_their_width()
    {
        Assert.AreEqual(18, SnowflakeIds.AtTime(new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero)).Length);
        Assert.AreEqual(18, SnowflakeIds.AtTime(new DateTimeOffset(2099, 12, 31, 23, 59, 59, TimeSpan.Zero)).Length);
    }

    [TestMethod]
    [DataRow("109876543210987654")]
    [DataRow("000000000000000000")]
    [DataRow("999999999999999999")]
    public void Eighteen_ascii_digits_are_valid(string id)
    {
        Assert.IsTrue(SnowflakeIds.IsValid(id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("abc")]
    [DataRow("../x")]
    [DataRow("10987654321098765")]
    [DataRow("1098765432109876543")]
    [DataRow("10987654321098765a")]
    [DataRow("-10987654321098765")]
    [DataRow(" 10987654321098765")]
    [DataRow("١٠٩٨٧٦٥٤٣٢١٠٩٨٧٦٥٤")]
    [DataRow("１０９８７６５４３２１０９８７６５４")]
    public void Anything_else_is_invalid(string? id)
    {
        Assert.IsFalse(SnowflakeIds.IsValid(id));
    }

    /// <summary>A clock that may be set backwards (an NTP step), which <see cref="FakeTimeProvider"/> refuses.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
