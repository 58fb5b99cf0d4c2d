using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Functions.Standalone;

namespace ServerlessFedi.Tests.Standalone;

[TestClass]
public sealed class TimerTriggerSchedulerTests
{
    private static readonly FunctionDescriptor Function = new()
    {
        Name = "Tick",
        EntryPoint = typeof(TickFunction).FullName + ".Run",
        Bindings = [new BindingDescriptor { Name = "timer", Type = "timerTrigger", Direction = "In", Schedule = "0 */5 * * * *" }],
    };

    [TestMethod]
    public void The_schedule_is_six_field_NCRONTAB_in_UTC()
    {
        var scheduler = Scheduler(new FakeTimeProvider());

        var next = scheduler.NextOccurrence(new DateTimeOffset(2026, 11, 26, 10, 2, 30, TimeSpan.Zero));

        Assert.AreEqual(new DateTimeOffset(2026, 11, 26, 10, 5, 0, TimeSpan.Zero), next);
    }

    [TestMethod]
    public async Task The_function_runs_when_the_clock_reaches_each_occurrence()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 2, 0, TimeSpan.Zero));
        var scheduler = Scheduler(time);
        var runs = TickFunction.Runs;

        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            time.Advance(TimeSpan.FromMinutes(2));
            Assert.IsFalse(runs.TryTake(out _, 200), "ran before its time");

            time.Advance(TimeSpan.FromMinutes(1));
            Assert.IsTrue(runs.TryTake(out var first, 10_000), "did not run at 10:05");
            Assert.AreEqual(new DateTime(2026, 11, 26, 10, 10, 0, DateTimeKind.Utc), first.ScheduleStatus!.Next);

            time.Advance(TimeSpan.FromMinutes(5));
            Assert.IsTrue(runs.TryTake(out _, 10_000), "did not run at 10:10");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private static TimerTriggerScheduler Scheduler(TimeProvider time) => new(
        Function,
        Function.Trigger!.Schedule!,
        new FunctionInvoker(new ServiceCollection().AddSingleton(time).BuildServiceProvider(), typeof(TickFunction).Assembly),
        time,
        NullLogger.Instance);
}

/// <summary>Timer function for scheduler tests: records each run.</summary>
public sealed class TickFunction
{
    public static BlockingCollection<TimerInfo> Runs { get; } = [];

    [Function("Tick")]
    public void Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer) => Runs.Add(timer);
}
