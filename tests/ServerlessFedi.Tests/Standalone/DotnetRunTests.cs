using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>
/// <c>dotnet run --project functions</c> as an operator types it (with <c>--no-build</c>: the test run built it): the
/// project's run targets replace Worker.Sdk's, which need Azure Functions Core Tools. Core Tools' presence is a fake
/// <c>func</c> on PATH that records how it was called.
/// </summary>
[TestClass]
public sealed class DotnetRunTests
{
    private static readonly string ProjectDirectory = Path.GetFullPath(Path.Combine(FunctionsApp.OutputDirectory, "..", "..", ".."));

    private static readonly string Configuration = new DirectoryInfo(FunctionsApp.OutputDirectory).Parent!.Name;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Without_core_tools_dotnet_run_serves_and_passes_admin_arguments_to_the_cli()
    {
        var path = PathWithoutFunc();
        var port = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = path,
            ["AzureWebJobsStorage"] = TestStorage.ConnectionString,
            ["urls"] = $"http://127.0.0.1:{port}",
        };
        foreach (var (k, v) in TestStorage.Settings(TestStorage.NewPrefix(), $"http://127.0.0.1:{port}"))
        {
            environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        using (var serve = Start(environment))
        {
            serve.BeginOutputReadLine();
            serve.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await Eventually.TrueAsync(async () =>
                {
                    Assert.IsFalse(serve.HasExited, $"dotnet run exited with {(serve.HasExited ? serve.ExitCode : 0)}");
                    try
                    {
                        return (await http.GetAsync("/health", TestContext.CancellationToken)).StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, "the standalone host answering /health", TimeSpan.FromSeconds(90));
            }
            finally
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync(TestContext.CancellationToken);
            }
        }

        var admin = await RunAsync(environment, "admin", "--help");

        Assert.AreEqual(0, admin.Exit, admin.Stderr);
        Assert.Contains("account", admin.Stdout);
        Assert.Contains("storage", admin.Stdout);
    }

    [TestMethod]
    public async Task With_core_tools_dotnet_run_starts_func_in_the_output_folder_and_still_runs_admin_itself()
    {
        var fakeBin = Directory.CreateTempSubdirectory("fakefunc").FullName;
        var log = Path.Combine(fakeBin, "calls.log");
        try
        {
            var func = Path.Combine(fakeBin, "func");
            await File.WriteAllTextAsync(func, "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 4.0.0; exit 0; fi\necho \"$PWD|$*\" >> \"" + log + "\"\nexit 3\n", TestContext.CancellationToken);
            if (OperatingSystem.IsWindows())
            {
                Assert.Inconclusive("The fake func is a shell script.");
            }
            else
            {
                File.SetUnixFileMode(func, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var environment = new Dictionary<string, string?> { ["PATH"] = fakeBin + Path.PathSeparator + PathWithoutFunc() };

            var start = await RunAsync(environment);
            var admin = await RunAsync(environment, "admin", "--help");

            Assert.AreEqual(3, start.Exit, "the exit code of func start: " + start.Stderr);
            var calls = await File.ReadAllLinesAsync(log, TestContext.CancellationToken);
            Assert.HasCount(1, calls, "func start once; admin does not go through func");
            Assert.AreEqual(Path.GetFullPath(FunctionsApp.OutputDirectory).TrimEnd('/') + "|start", calls[0]);
            Assert.AreEqual(0, admin.Exit, admin.Stderr);
            Assert.Contains("account", admin.Stdout);
        }
        finally
        {
            Directory.Delete(fakeBin, recursive: true);
        }
    }

    private static string PathWithoutFunc() =>
        string.Join(Path.PathSeparator, (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0 && !File.Exists(Path.Combine(d, "func"))));

    private static Process Start(IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in new[] { "run", "--project", ProjectDirectory, "--no-build", "-c", Configuration })
        {
            start.ArgumentList.Add(a);
        }

        if (args.Length > 0)
        {
            start.ArgumentList.Add("--");
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Fedi", StringComparison.Ordinal) || k.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        // No MSBuild node or build server may outlive the test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        return process;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
