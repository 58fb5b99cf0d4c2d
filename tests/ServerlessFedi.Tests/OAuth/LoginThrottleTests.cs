using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>Five failures in fifteen minutes lock for fifteen minutes (store level, fake clock).</summary>
[TestClass]
public sealed class LoginThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task Five_failures_lock_for_fifteen_minutes()
    {
        var time = new FakeTimeProvider(Start);
        var throttle = new LoginThrottle(TestStorage.Services(time).Tables, time);

        for (var i = 0; i < 4; i++)
        {
            await throttle.RecordFailureAsync("111111111111111111");
        }

        Assert.IsFalse((await throttle.GetAsync("111111111111111111")).Locked);
        await throttle.RecordFailureAsync("111111111111111111");
        Assert.IsTrue((await throttle.GetAsync("111111111111111111")).Locked);
        time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.IsTrue((await throttle.GetAsync("111111111111111111")).Locked);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsFalse((await throttle.GetAsync("111111111111111111")).Locked);

        // After the lock a single failure does not lock again.
        await throttle.RecordFailureAsync("111111111111111111");
        Assert.IsFalse((await throttle.GetAsync("111111111111111111")).Locked);
    }

    [TestMethod]
    public async Task Failures_older_than_the_window_are_forgotten()
    {
        var time = new FakeTimeProvider(Start);
        var throttle = new LoginThrottle(TestStorage.Services(time).Tables, time);

        for (var i = 0; i < 4; i++)
        {
            await throttle.RecordFailureAsync("222222222222222222");
        }

        time.Advance(TimeSpan.FromMinutes(15));
        await throttle.RecordFailureAsync("222222222222222222");

        Assert.IsFalse((await throttle.GetAsync("222222222222222222")).Locked);
    }

    [TestMethod]
    public async Task A_reset_clears_the_failures()
    {
        var time = new FakeTimeProvider(Start);
        var throttle = new LoginThrottle(TestStorage.Services(time).Tables, time);
        await throttle.RecordFailureAsync("333333333333333333");

        Assert.IsTrue((await throttle.GetAsync("333333333333333333")).HasFailures);
        await throttle.ResetAsync("333333333333333333");

        Assert.IsFalse((await throttle.GetAsync("333333333333333333")).HasFailures);
    }
}
