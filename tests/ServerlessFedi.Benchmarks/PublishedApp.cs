using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The functions app as Azure runs it: the folder <c>dotnet publish functions -c Release</c> writes (ReadyToRun, linux-x64;
/// see the functions .csproj), started as its own process (<c>dotnet ServerlessFedi.Functions.dll serve</c> or <c>admin ...</c>)
/// with settings in environment variables, so that its start-up time and resident memory are its own. When
/// <c>--app DIR</c> is not given and the default folder has no build, it is published first (about a minute).
/// </summary>
public sealed class PublishedApp(string directory)
{
    public const string DefaultDirectory = "functions/bin/Release/net10.0/linux-x64/publish";

    public string Directory { get; } = Path.GetFullPath(directory);

    private string Dll => Path.Combine(Directory, "ServerlessFedi.Functions.dll");

    /// <summary>The app in <paramref name="directory"/>, or the default folder, published from <paramref name="repositoryRoot"/> when missing.</summary>
    public static async Task<PublishedApp> LocateAsync(string? directory, string repositoryRoot)
    {
        if (directory is not null)
        {
            var given = new PublishedApp(directory);
            return File.Exists(given.Dll) ? given : throw new ArgumentException($"--app: no ServerlessFedi.Functions.dll in {given.Directory}");
        }

        var app = new PublishedApp(Path.Combine(repositoryRoot, DefaultDirectory));
        if (!File.Exists(app.Dll))
        {
            Console.Error.WriteLine($"Publishing the functions app to {app.Directory} (dotnet publish functions -c Release)...");
            var publish = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot, UseShellExecute = false };
            foreach (var a in new[] { "publish", "functions", "-c", "Release", "-nologo", "-v:minimal", "-clp:ErrorsOnly" })
            {
                publish.ArgumentList.Add(a);
            }

            using var process = Process.Start(publish) ?? throw new InvalidOperationException("dotnet publish did not start");
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(app.Dll))
            {
                throw new InvalidOperationException($"dotnet publish functions failed (exit {process.ExitCode})");
            }
        }

        return app;
    }

    /// <summary>
    /// Starts <c>dotnet ServerlessFedi.Functions.dll ARGS</c> in the app's folder (where the Functions host starts the worker)
    /// with <paramref name="settings"/> as its environment. With <paramref name="readError"/> the caller reads standard error
    /// and standard output is discarded; otherwise the caller reads standard output.
    /// </summary>
    public Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?> settings, bool readError = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = readError,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        if (readError)
        {
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        }

        return process;
    }

    /// <summary>Wall time from spawning <c>admin --help</c> to its exit: the runtime's start plus a small command line, the floor of any start.</summary>
    public async Task<TimeSpan> AdminHelpAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var watch = Stopwatch.StartNew();
        using var process = Start(["admin", "--help"], settings);
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? watch.Elapsed : throw new InvalidOperationException($"admin --help exited with {process.ExitCode}");
    }

    /// <summary>Resident set size of <paramref name="pid"/> and its peak so far (<c>VmRSS</c>, <c>VmHWM</c> of <c>/proc/PID/status</c>), in MiB.</summary>
    public static (double Rss, double Peak) Memory(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    /// <summary>Resident memory by kind (<c>RssAnon</c>: heaps and JIT code; <c>RssFile</c>: mapped assemblies and libraries), in MiB.</summary>
    public static string Breakdown(int pid) => string.Join(", ", File.ReadLines($"/proc/{pid}/status")
        .Where(l => l.StartsWith("RssAnon:", StringComparison.Ordinal) || l.StartsWith("RssFile:", StringComparison.Ordinal))
        .Select(l => $"{l[..l.IndexOf(':', StringComparison.Ordinal)]} {Kib(l) / 1024.0:F0}"));

    /// <summary>Asks <paramref name="uri"/> until <paramref name="process"/> answers (any status), polling every 5 ms while it does not listen yet.</summary>
    public static async Task<HttpStatusCode> WaitForAnswerAsync(HttpClient http, Process process, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(process);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {process.ExitCode} before answering");
            }

            try
            {
                using var response = await http.GetAsync(uri);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ends <paramref name="process"/> (SIGKILL: its start-up or memory, not its shutdown, is measured) and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
