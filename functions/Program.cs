using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFedi;
using ServerlessFedi.Configuration;
using ServerlessFedi.Functions;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Functions.Standalone;

// One executable, three modes:
//   launched by the Functions host (it passes --functions-uri / Functions:Worker:HostEndpoint): the isolated worker;
//   `admin ...`: the operator's CLI against the configured storage;
//   `serve [--urls URL]` or no arguments: the standalone host that reproduces the Functions host locally.
// `dotnet run` puts CoreTools.DotnetRunMarker first when Core Tools are installed (see the .csproj).
StartupTrace.Mark("main");
if (args.Length > 0 && args[0] == CoreTools.DotnetRunMarker)
{
    args = args[1..];
    if (args.Length == 0 || args[0].StartsWith('-'))
    {
        return await CoreTools.StartAsync(args);
    }
}

if (args.Length > 0 && args[0] == "admin")
{
    return await AdminCli.RunAsync(args[1..], AppSettings.Build([]));
}

var probe = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var launchedByHost = !string.IsNullOrEmpty(probe["Functions:Worker:HostEndpoint"]) || !string.IsNullOrEmpty(probe["functions-uri"])
    || args.Contains("--functions-uri", StringComparer.Ordinal);

if (launchedByHost)
{
    var builder = FunctionsApplication.CreateBuilder([.. args, StandaloneHost.NoConfigReload]);
    builder.ConfigureFunctionsWebApplication();
    StartupTrace.Mark("worker-builder");
    builder.Services.AddFedi(builder.Configuration);
    StartupTrace.Mark("worker-services");
    var worker = builder.Build();
    StartupTrace.Mark("worker-built");
    worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => StartupTrace.Mark("worker-started"));
    await worker.RunAsync();
    return 0;
}

var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
if (serveArgs.Length > 0 && !serveArgs[0].StartsWith('-'))
{
    await Console.Error.WriteLineAsync($"Unknown mode '{serveArgs[0]}'. Use 'serve [--urls URL]' or 'admin --help'.");
    return 2;
}

try
{
    var configuration = AppSettings.Build(serveArgs);
    StartupTrace.Mark("configuration");
    if (string.IsNullOrEmpty(configuration["urls"]))
    {
        serveArgs = [.. serveArgs, "--urls", "http://127.0.0.1:7071"];
    }

    var app = StandaloneHost.Build(serveArgs, configuration, triggerStartDelay: StandaloneHost.ServeTriggerStartDelay);
    app.Lifetime.ApplicationStarted.Register(() => StartupTrace.Mark("listening"));
    await app.RunAsync();
    return 0;
}
catch (FediConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
