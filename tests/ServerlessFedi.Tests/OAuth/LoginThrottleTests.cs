using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// <see cref="LoginThrottle"/> on real storage under a fake clock: checks are claimed before they run, a back-off grows,
/// addresses that have not tried the account are still checked within an allowance, and a success clears it all.
/// </summary>
[TestClass]
public sealed class LoginThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static (LoginThrottle Throttle, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        return (new LoginThrottle(TestStorage.Services(time).Tables, time), time);
    }

    [TestMethod]
    public async Task Five_checks_run_then_one_per_growing_back_off()
    {
        var (throttle, time) = Create();
        const string account = "111111111111111111";
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            Assert.IsTrue((await throttle.ClaimAsync(account, "192.0.2.1")).IsAdmitted, $"check {i + 1}");
        }

        var refused = await throttle.ClaimAsync(account, "192.0.2.1");
        Assert.IsFalse(refused.IsAdmitted);
        Assert.AreEqual(TimeSpan.FromMinutes(1), refused.RetryAfter);

        foreach (var backoff in new[] { 1, 2, 4, 8, 15, 15 })
        {
            time.Advance(TimeSpan.FromMinutes(backoff) - TimeSpan.FromSeconds(1));
            Assert.IsFalse((await throttle.ClaimAsync(account, "192.0.2.1")).IsAdmitted, $"before the {backoff}-minute back-off ends");
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.IsTrue((await throttle.ClaimAsync(account, "192.0.2.1")).IsAdmitted, $"once the {backoff}-minute back-off ended");
        }
    }

    [TestMethod]
    public async Task A_new_address_is_still_checked_during_a_back_off_within_the_allowance()
    {
        var (throttle, time) = Create();
        const string account = "222222222222222222";
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            await throttle.ClaimAsync(account, "192.0.2.1");
        }

        Assert.IsTrue((await throttle.ClaimAsync(account, "198.51.100.1")).IsAdmitted, "the owner's address has not tried yet");
        Assert.IsFalse((await throttle.ClaimAsync(account, "198.51.100.1")).IsAdmitted, "its second try waits like everyone");
        for (var i = 2; i <= LoginThrottle.CleanAddressChecks; i++)
        {
            Assert.IsTrue((await throttle.ClaimAsync(account, $"198.51.100.{i}")).IsAdmitted, $"new address {i}");
        }

        Assert.IsFalse((await throttle.ClaimAsync(account, "198.51.100.200")).IsAdmitted, "the allowance is spent");

        time.Advance(LoginThrottle.ForgetAfter);
        Assert.IsTrue((await throttle.ClaimAsync(account, "198.51.100.201")).IsAdmitted, "an hour later the count is forgotten");
    }

    [TestMethod]
    public async Task A_success_clears_the_count()
    {
        var (throttle, _) = Create();
        const string account = "333333333333333333";
        for (var i = 0; i < LoginThrottle.FreeFailures; i++)
        {
            await throttle.ClaimAsync(account, "192.0.2.1");
        }

        await throttle.ClearAsync(account);

        Assert.IsTrue((await throttle.ClaimAsync(account, "192.0.2.1")).IsAdmitted);
    }

    [TestMethod]
    public async Task One_address_gets_twenty_five_attempts_per_five_minutes_whatever_the_accounts()
    {
        var (throttle, time) = Create();
        for (var i = 0; i < LoginThrottle.AddressAttempts; i++)
        {
            Assert.IsTrue((await throttle.ClaimAsync($"u{i}", "2001:db8::1")).IsAdmitted, $"attempt {i + 1}");
        }

        var refused = await throttle.ClaimAsync("u-next", "2001:db8::1");
        Assert.IsFalse(refused.IsAdmitted);
        Assert.IsGreaterThan(TimeSpan.Zero, refused.RetryAfter);
        Assert.IsTrue((await throttle.ClaimAsync("u-next", "2001:db8::2")).IsAdmitted, "another address");

        time.Advance(LoginThrottle.AddressWindow);
        Assert.IsTrue((await throttle.ClaimAsync("u-next", "2001:db8::1")).IsAdmitted, "the next window");
    }

    [TestMethod]
    public async Task Fifty_parallel_claims_from_one_address_admit_at_most_six()
    {
        var (throttle, _) = Create();

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => throttle.ClaimAsync("444444444444444444", "192.0.2.9"))));

        // The address limit lets 25 claims reach the account, which admits five, plus the address's very first try when
        // that one only reaches storage after the back-off began (it is then a new address's check).
        var admitted = claims.Count(c => c.IsAdmitted);
        Assert.IsGreaterThanOrEqualTo(LoginThrottle.FreeFailures, admitted);
        Assert.IsLessThanOrEqualTo(LoginThrottle.FreeFailures + 1, admitted);
    }

    [TestMethod]
    public async Task Fifty_parallel_claims_from_fifty_addresses_admit_five_plus_the_new_address_allowance()
    {
        var (throttle, _) = Create();

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => throttle.ClaimAsync("555555555555555555", $"203.0.113.{i}"))));

        Assert.AreEqual(LoginThrottle.FreeFailures + LoginThrottle.CleanAddressChecks, claims.Count(c => c.IsAdmitted));
    }

    [TestMethod]
    public void The_back_off_doubles_from_one_minute_to_fifteen()
    {
        var steps = Enumerable.Range(1, 10).Select(LoginThrottle.Backoff).ToList();

        CollectionAssert.AreEqual(
            new[] { 0, 0, 0, 0, 1, 2, 4, 8, 15, 15 }.Select(m => TimeSpan.FromMinutes(m)).ToList(),
            steps);
    }
}
