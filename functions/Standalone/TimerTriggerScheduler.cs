using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>Runs one timer trigger on its six-field NCRONTAB schedule (seconds first, UTC), as the host does.</summary>
public sealed class TimerTriggerScheduler(
    FunctionDescriptor function,
    string schedule,
    FunctionInvoker invoker,
    TimeProvider time,
    ILogger logger,
    TriggerStartGate? startGate = null) : BackgroundService
{
    private readonly CronExpression _cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);

    public DateTimeOffset? NextOccurrence(DateTimeOffset after) => _cron.GetNextOccurrence(after, TimeZoneInfo.Utc);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await (startGate?.WaitAsync(stoppingToken) ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        DateTimeOffset? last = null;
        if (function.Trigger?.RunOnStartup == true)
        {
            await RunAsync(last, stoppingToken);
            last = time.GetUtcNow();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (NextOccurrence(now) is not { } next)
            {
                return;
            }

            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunAsync(last, stoppingToken);
            last = next;
        }
    }

    private async Task RunAsync(DateTimeOffset? last, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var timer = new TimerInfo
        {
            IsPastDue = false,
            ScheduleStatus = new ScheduleStatus { Last = last?.UtcDateTime ?? default, Next = NextOccurrence(now)?.UtcDateTime ?? default, LastUpdated = now.UtcDateTime },
        };
        try
        {
            await invoker.InvokeTimerAsync(function, timer, stoppingToken);
        }
#pragma warning disable CA1031 // A failing timer run is logged and the schedule goes on, as in the host.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Timer function {Function} failed", function.Name);
        }
    }
}
