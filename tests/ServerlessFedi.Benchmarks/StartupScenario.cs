using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ServerlessFedi.Functions;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario S (issue 13 item 4): cold starts of the published app, each a new process. Per run, in this order: the floor,
/// <c>admin --help</c> from spawn to exit; the standalone host (<c>serve</c>) from spawn to its first WebFinger answer
/// (200 for an existing account, so the first storage read is in it); the isolated worker from spawn to its start-up
/// marks (<see cref="StartupTrace"/>), pointed at a closed port as its Functions host, so it stops where the real host's
/// gRPC handshake would begin. Phases come from <see cref="StartupTrace"/> lines on standard error.
/// </summary>
public sealed class StartupScenario(PublishedApp app, Func<string, Dictionary<string, string?>> settingsFor, string username)
{
    public async Task<StartupResults> RunAsync(int runs)
    {
        var help = new List<TimeSpan>();
        var serve = new List<TimeSpan>();
        var servePhases = new ConcurrentBag<(string Phase, double Ms)>();
        var workerPhases = new ConcurrentBag<(string Phase, double Ms)>();
        var rss = new List<double>();
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) });
        for (var run = 0; run <= runs; run++)
        {
            // Run 0 warms the disk cache and is not counted, as every later start finds the files cached too.
            var counted = run > 0;
            var elapsedHelp = await app.AdminHelpAsync(settingsFor("http://127.0.0.1:1"));
            var (elapsedServe, memory) = await ServeUntilFirstAnswerAsync(http, counted ? servePhases : []);
            await WorkerUntilStartedAsync(counted ? workerPhases : []);
            if (counted)
            {
                help.Add(elapsedHelp);
                serve.Add(elapsedServe);
                rss.Add(memory);
            }
        }

        return new StartupResults(runs, Percentiles.Of(help), Percentiles.Of(serve), Median(servePhases), Median(workerPhases), rss.Order().ElementAt(rss.Count / 2));
    }

    private async Task<(TimeSpan Elapsed, double RssMiB)> ServeUntilFirstAnswerAsync(HttpClient http, ConcurrentBag<(string, double)> phases)
    {
        var baseUrl = $"http://127.0.0.1:{PublishedApp.FreePort()}";
        var settings = Traced(settingsFor(baseUrl));
        var uri = new Uri($"{baseUrl}/.well-known/webfinger?resource=acct:{username}@{new Uri(baseUrl).Authority}");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();
        using var process = app.Start(["serve", "--urls", baseUrl], settings, readError: true);
        var trace = Collect(process, phases, listening);
        try
        {
            // The first request goes when the process writes its `listening` mark (the server is bound by then), not by
            // polling: a poll is up to its interval late, and its refused connections take CPU from the start measured.
            await Task.WhenAny(listening.Task, process.WaitForExitAsync());
            var status = await PublishedApp.WaitForAnswerAsync(http, process, uri);
            var elapsed = watch.Elapsed;
            return status == HttpStatusCode.OK
                ? (elapsed, PublishedApp.Memory(process.Id).Rss)
                : throw new InvalidOperationException($"the first WebFinger answer was {(int)status}");
        }
        finally
        {
            await PublishedApp.StopAsync(process);
            await trace;
        }
    }

    private async Task WorkerUntilStartedAsync(ConcurrentBag<(string, double)> phases)
    {
        // The arguments the Functions host passes; nothing listens on port 1, so the worker fails once it tries the handshake.
        using var process = app.Start(
            ["--functions-uri", "http://127.0.0.1:1/", "--functions-worker-id", "bench", "--functions-request-id", "bench", "--functions-grpc-max-message-length", "2147483647"],
            Traced(settingsFor("http://127.0.0.1:1")),
            readError: true);
        var trace = Collect(process, phases);
        var exited = process.WaitForExitAsync();
        await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60)));
        await PublishedApp.StopAsync(process);
        await trace;
    }

    private static Dictionary<string, string?> Traced(Dictionary<string, string?> settings)
    {
        settings[StartupTrace.EnvironmentVariable] = "1";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    private static async Task Collect(Process process, ConcurrentBag<(string, double)> phases, TaskCompletionSource? listening = null)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(StartupTrace.LinePrefix, StringComparison.Ordinal))
            {
                var parts = line[StartupTrace.LinePrefix.Length..].Split(' ');
                if (parts[0] == "listening")
                {
                    listening?.TrySetResult();
                }

                phases.Add((parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture)));
            }
        }

        listening?.TrySetResult();
    }

    private static IReadOnlyList<(string Phase, double MedianMs)> Median(IEnumerable<(string Phase, double Ms)> marks) =>
        [.. marks.GroupBy(m => m.Phase, StringComparer.Ordinal)
            .Select(g => (g.Key, Percentiles.Of([.. g.Select(m => TimeSpan.FromMilliseconds(m.Ms))]).MedianMs))
            .OrderBy(p => p.MedianMs)];
}
