using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessFedi.Tests.Deployment;

/// <summary>
/// The Bicep CLI from the <c>Azure.Bicep.CommandLine.linux-x64</c> package, run as a subprocess against the repository's
/// <c>bicep/</c> folder. Everything it does is offline (local modules only). Results are memoised per command line,
/// so several tests can share one compilation.
/// </summary>
public static partial class BicepCli
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<BicepResult>>> Cache = new(StringComparer.Ordinal);

    public static string Executable { get; } = Path.GetFullPath(Metadata("BicepCli"));

    public static string Directory { get; } = Path.GetFullPath(Metadata("BicepDir"));

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Runs <c>bicep build --stdout</c> (template) or <c>bicep build-params --stdout</c> (parameters file).</summary>
    public static Task<BicepResult> BuildAsync(string relative) =>
        RunAsync(relative.EndsWith(".bicepparam", StringComparison.Ordinal) ? "build-params" : "build", "--stdout", PathOf(relative));

    public static Task<BicepResult> LintAsync(string relative) => RunAsync("lint", PathOf(relative));

    /// <summary>Compiles a parameters file and returns its parameters and the ARM template of the file it uses.</summary>
    public static async Task<(JsonNode Parameters, JsonNode Template)> CompileParamsAsync(string relative)
    {
        var result = await BuildAsync(relative);
        result.AssertClean();
        var output = JsonNode.Parse(result.StandardOutput)!;
        var parameters = JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!;
        var template = JsonNode.Parse(output["templateJson"]!.GetValue<string>())!;
        return (parameters, template);
    }

    private static Task<BicepResult> RunAsync(params string[] arguments) =>
        Cache.GetOrAdd(string.Join('\u001f', arguments), _ => new Lazy<Task<BicepResult>>(() => StartAsync(arguments))).Value;

    private static async Task<BicepResult> StartAsync(string[] arguments)
    {
        EnsureExecutable();
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }

        return new BicepResult(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    // NuGet keeps the owner's execute bit, but a cache copied between machines may lose it.
    private static void EnsureExecutable()
    {
        if (!OperatingSystem.IsWindows() && File.Exists(Executable)
            && (File.GetUnixFileMode(Executable) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(Executable, File.GetUnixFileMode(Executable) | UnixFileMode.UserExecute);
        }
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing (see ServerlessFedi.Tests.csproj).");

    /// <summary>A diagnostic line: <c>path(line,col) : Warning rule: message</c>, or a bare <c>Error ...</c> from the CLI.</summary>
    [GeneratedRegex(@"(^|\s:\s)(Warning|Error)\b", RegexOptions.Multiline)]
    internal static partial Regex Diagnostic();
}

/// <summary>Exit code and output of one Bicep CLI run.</summary>
public sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Warning and error lines. Build commands print diagnostics on stderr (stdout is the JSON); lint on either.</summary>
    public IReadOnlyList<string> Diagnostics =>
        (Command.StartsWith("lint", StringComparison.Ordinal) ? StandardOutput + "\n" + StandardError : StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => BicepCli.Diagnostic().IsMatch(line))
            .ToList();

    /// <summary>Exit code 0 and not one warning or error: the CLI itself exits 0 on warnings.</summary>
    public void AssertClean()
    {
        Assert.AreEqual(0, ExitCode, $"bicep {Command} exited with {ExitCode}:\n{StandardError}\n{StandardOutput}");
        Assert.IsEmpty(Diagnostics, $"bicep {Command} reported:\n{string.Join('\n', Diagnostics)}");
    }
}
