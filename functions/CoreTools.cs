using System.ComponentModel;
using System.Diagnostics;

namespace ServerlessFedi.Functions;

/// <summary>
/// <c>dotnet run</c> with Azure Functions Core Tools installed: starts <c>func start</c> in the output folder (where
/// <c>host.json</c>, <c>functions.metadata</c> and <c>local.settings.json</c> are), as Worker.Sdk's own run target does,
/// and returns its exit code. Ctrl+C reaches both processes; this one waits for the host to stop.
/// </summary>
public static class CoreTools
{
    /// <summary>The first argument the project's run target passes when <c>func</c> answered <c>func --version</c>.</summary>
    public const string DotnetRunMarker = "--dotnet-run-with-func";

    public static async Task<int> StartAsync(string[] args)
    {
        var start = new ProcessStartInfo("func") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false };
        start.ArgumentList.Add("start");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception ex)
        {
            await Console.Error.WriteLineAsync($"Could not start Azure Functions Core Tools ('func start'): {ex.Message}. Run 'dotnet run --project functions -- serve' for the standalone host.");
            return 1;
        }

        if (process is null)
        {
            return 1;
        }

        using (process)
        {
            Console.CancelKeyPress += (_, e) => e.Cancel = true;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }
}
