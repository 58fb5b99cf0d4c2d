using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>The per-process cache behind the read paths: bounded lifetime, shared loads, and writes that are never undone by a load in flight.</summary>
[TestClass]
public sealed class ExpiringCacheTests
{
    [TestMethod]
    public async Task A_load_that_began_before_a_remove_does_not_store_what_it_read()
    {
        var cache = new ExpiringCache<string>(TimeSpan.FromSeconds(10), 100, new FakeTimeProvider());
        var stale = new TaskCompletionSource<string>();
        var loading = cache.GetOrLoadAsync("k", () => stale.Task);

        cache.Remove("k"); // a write in this process, while the read was under way
        stale.SetResult("before the write");

        Assert.AreEqual("before the write", await loading, "the caller that asked before the write gets what was read");
        Assert.IsFalse(cache.TryGet("k", out _), "but it is not kept");
        Assert.AreEqual("after the write", await cache.GetOrLoadAsync("k", () => Task.FromResult("after the write")));
        Assert.IsTrue(cache.TryGet("k", out var kept));
        Assert.AreEqual("after the write", kept);
    }

    [TestMethod]
    public async Task Values_expire_after_the_lifetime_and_concurrent_misses_share_one_load()
    {
        var time = new FakeTimeProvider();
        var cache = new ExpiringCache<int>(TimeSpan.FromSeconds(10), 100, time);
        var loads = 0;
        var gate = new TaskCompletionSource<int>();
        var first = cache.GetOrLoadAsync("k", () => { Interlocked.Increment(ref loads); return gate.Task; });
        var second = cache.GetOrLoadAsync("k", () => { Interlocked.Increment(ref loads); return gate.Task; });
        gate.SetResult(7);
        Assert.AreEqual(7, await first);
        Assert.AreEqual(7, await second);
        Assert.AreEqual(1, loads);

        time.Advance(TimeSpan.FromSeconds(11));
        Assert.IsFalse(cache.TryGet("k", out _));
    }
}
