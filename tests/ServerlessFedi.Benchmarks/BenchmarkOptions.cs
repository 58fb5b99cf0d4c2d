using System.Globalization;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Command line of the benchmark: <c>[--followers N] [--inboxes D] [--follows F] [--activities A] [--concurrency C] [--quick]
/// [--likes L] [--writes W] [--only ABCDRSMW] [--output FILE] [--app DIR] [--starts N] [--requests R] [--warmup N]</c>. <see cref="Scenarios"/> are the letters of
/// the scenarios to run (all by default); S (cold start) and M (memory) run the published app from <see cref="App"/>.
/// </summary>
public sealed record BenchmarkOptions(int Followers, int Inboxes, int Follows, int Concurrency, bool Quick, string? Output, int Activities, string Scenarios = "ABCDRSMW", int Likes = 1000, int Writes = 20)
{
    /// <summary>The published functions app (<see cref="PublishedApp"/>); null: the default publish folder, published when missing.</summary>
    public string? App { get; init; }

    /// <summary>Cold starts measured in scenario S.</summary>
    public int Starts { get; init; } = 10;

    /// <summary>Mixed requests of scenario M.</summary>
    public int Requests { get; init; } = 10_000;

    /// <summary>
    /// Rounds of scenario R's warm-up (one request of each page kind per round) before anything is timed, so the pages are
    /// measured as a long-running instance serves them: past the runtime's tier-1 recompilation of their code, which
    /// takes the first thousand or so requests.
    /// </summary>
    public int Warmup { get; init; } = 500;

    /// <summary>Idle time after scenario M's load before its last memory reading.</summary>
    public TimeSpan Idle => TimeSpan.FromSeconds(Quick ? 10 : 60);

    public bool Runs(char scenario) => Scenarios.Contains(scenario, StringComparison.Ordinal);

    /// <summary>Requests signed in the signing measurement: 1,000 as the deliveries of the full run; fewer in a smoke run.</summary>
    public int Signatures => Quick ? 100 : 1000;

    /// <summary>Requests per page kind measured warm in the read-path scenario (R), and by the 8 clients.</summary>
    public int PageRequests => Quick ? 20 : 100;

    /// <summary>Point reads in the storage baseline.</summary>
    public int BaselineReads => Quick ? 200 : 1000;

    public static BenchmarkOptions Full { get; } = new(10_000, 1_000, 500, 32, false, null, 30);

    public static BenchmarkOptions QuickRun { get; } = new(200, 20, 20, 32, true, null, 3, Likes: 100) { Starts = 3, Requests = 2_000 };

    public const string Usage =
        "usage: dotnet run -c Release --project tests/ServerlessFedi.Benchmarks -- "
        + "[--followers 10000] [--inboxes 1000] [--follows 500] [--activities 30] [--concurrency 32] [--likes 1000] [--writes 20] [--quick] [--only ABCDRSMW] [--output results.md] [--app functions/bin/Release/net10.0/linux-x64/publish] [--starts 10] [--requests 10000] [--warmup 500]";

    /// <summary>Parses the arguments; <c>--quick</c> sets the smoke-run sizes, which explicit numbers then override.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = args.Contains("--quick", StringComparer.Ordinal) ? QuickRun : Full;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--followers":
                    options = options with { Followers = Number(args, ++i) };
                    break;
                case "--inboxes":
                    options = options with { Inboxes = Number(args, ++i) };
                    break;
                case "--follows":
                    options = options with { Follows = Number(args, ++i) };
                    break;
                case "--activities":
                    options = options with { Activities = Number(args, ++i) };
                    break;
                case "--likes":
                    options = options with { Likes = Number(args, ++i) };
                    break;
                case "--writes":
                    options = options with { Writes = Number(args, ++i) };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = Number(args, ++i) };
                    break;
                case "--only":
                    var only = i + 1 < args.Count ? args[++i].ToUpperInvariant() : "";
                    options = only.Length > 0 && only.All(c => c is 'A' or 'B' or 'C' or 'D' or 'R' or 'S' or 'M' or 'W')
                        ? options with { Scenarios = only }
                        : throw new ArgumentException("--only needs scenario letters (A-D, R), e.g. B or AD");
                    break;
                case "--app":
                    options = options with { App = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--app needs a folder") };
                    break;
                case "--starts":
                    options = options with { Starts = Number(args, ++i) };
                    break;
                case "--requests":
                    options = options with { Requests = Number(args, ++i) };
                    break;
                case "--warmup":
                    i++;
                    options = options with { Warmup = i < args.Count && args[i] == "0" ? 0 : Number(args, i) };
                    break;
                case "--output":
                    options = options with { Output = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--output needs a file name") };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        if (options.Inboxes > options.Followers)
        {
            throw new ArgumentException("--inboxes cannot exceed --followers: every inbox needs a follower");
        }

        return options;
    }

    private static int Number(IReadOnlyList<string> args, int index) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{args[index - 1]} needs a positive number");
}
