using System.Diagnostics;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>The built executable's mode switch and start-up validation, run as a real process.</summary>
[TestClass]
public sealed class ExecutableModesTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> Run(IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(FunctionsApp.OutputDirectory, "ServerlessFedi.Functions.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Fedi__", StringComparison.Ordinal) || k.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [TestMethod]
    public async Task Serve_without_a_base_url_stops_with_a_clear_message()
    {
        var run = await Run(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = TestStorage.ConnectionString }, "serve", "--urls", "http://127.0.0.1:0");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("Fedi__BaseUrl is required", run.Stderr);
    }

    [TestMethod]
    public async Task Serve_with_a_plain_http_public_url_stops_with_a_clear_message()
    {
        var run = await Run(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = TestStorage.ConnectionString, ["Fedi__BaseUrl"] = "http://social.example.gov" }, "serve");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("must use https", run.Stderr);
    }

    [TestMethod]
    public async Task An_unknown_mode_is_a_usage_error()
    {
        var run = await Run(new Dictionary<string, string?>(), "frobnicate");

        Assert.AreEqual(2, run.Exit);
        Assert.Contains("Unknown mode", run.Stderr);
    }

    [TestMethod]
    public async Task Admin_without_storage_settings_explains_what_to_set()
    {
        var run = await Run(new Dictionary<string, string?> { ["Fedi__BaseUrl"] = "https://social.example.gov" }, "admin", "account", "list");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("AzureWebJobsStorage", run.Stderr);
    }

    [TestMethod]
    public async Task Admin_with_storage_unreachable_says_so_in_one_line_without_a_stack_trace()
    {
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var nothing = "http://127.0.0.1:1/devstoreaccount1";
        var run = await Run(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint={nothing};QueueEndpoint={nothing};TableEndpoint={nothing};",
            ["Fedi__BaseUrl"] = "https://social.example.gov",
            ["FediInboxQueue"] = "inbox",
            ["FediFanoutQueue"] = "fanout",
            ["FediDeliverQueue"] = "deliver",
            ["FediAccountsQueue"] = "accounts",
            ["FediMediaQueue"] = "media",
            ["FediPushQueue"] = "push",
        }, "admin", "account", "create", "--username", "alice");

        Assert.AreEqual(1, run.Exit);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, run.Stderr);
        Assert.StartsWith("error: storage is unreachable", lines[0]);
        Assert.Contains("Azurite", lines[0]);
    }
}
