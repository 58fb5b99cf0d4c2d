using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// The <c>serve</c> mode: the app's functions on Kestrel, wired from <c>functions.metadata</c> and <c>host.json</c>
/// (the files the Functions host reads) with the host's routing and trigger rules, so that a routing or queue bug
/// that would break on Azure breaks here too.
/// </summary>
public static class StandaloneHost
{
    /// <summary>
    /// Host setting passed as an argument to both builders: the app has no appsettings.json to reload, and watching for one
    /// costs a recursive file watch of the content root (inotify walks every folder below it) at each start.
    /// </summary>
    public const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplication Build(string[] args, IConfiguration configuration, string? appDirectory = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        appDirectory ??= AppContext.BaseDirectory;
        var functions = FunctionDescriptor.Load(Path.Combine(appDirectory, "functions.metadata"));
        var hostJson = HostJsonSettings.Load(Path.Combine(appDirectory, "host.json"));
        StartupTrace.Mark("metadata");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, NoConfigReload], ContentRootPath = appDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddRouting();
        builder.Services.AddFedi(builder.Configuration);
        builder.Services.AddSingleton(hostJson);
        builder.Services.AddSingleton(sp => new FunctionInvoker(sp, Assembly.GetExecutingAssembly()));
        builder.Services.AddSingleton(sp => HttpRouteTable.Create(functions, hostJson.RoutePrefix, sp.GetRequiredService<IInlineConstraintResolver>()));
        configureServices?.Invoke(builder.Services);

        foreach (var function in functions)
        {
            var trigger = function.Trigger;
            if (trigger is null)
            {
                continue;
            }

            if (trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
            {
                builder.Services.AddSingleton<IHostedService>(sp => CreateQueueListener(sp, function, trigger, hostJson, configuration));
            }
            else if (trigger.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var schedule = AppSettings.Resolve(trigger.Schedule ?? throw new InvalidOperationException($"{function.Name}: timer without schedule"), configuration);
                builder.Services.AddSingleton<IHostedService>(sp => new TimerTriggerScheduler(
                    function, schedule, sp.GetRequiredService<FunctionInvoker>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name)));
            }
        }

        StartupTrace.Mark("services");
        var app = builder.Build();
        StartupTrace.Mark("built");

        // Fail at start-up, as the host would, rather than on the first request.
        var routes = app.Services.GetRequiredService<HttpRouteTable>();
        app.Services.GetRequiredService<FunctionInvoker>().Validate(functions);

        StartupTrace.Mark("validated");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ServerlessFedi.Standalone");
        app.Run(async context =>
        {
            var match = routes.Match(context.Request.Method, context.Request.Path.Value ?? "/", context);
            if (match is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            try
            {
                await app.Services.GetRequiredService<FunctionInvoker>().InvokeHttpAsync(match.Function, context, match.Values);
                StartupTrace.MarkOnce("first-answer");
            }
#pragma warning disable CA1031 // The host turns an unhandled function exception into an empty 500.
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Function {Function} failed", match.Function.Name);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                }
            }
        });
        return app;
    }

    private static QueueTriggerListener CreateQueueListener(IServiceProvider sp, FunctionDescriptor function, BindingDescriptor trigger, HostJsonSettings hostJson, IConfiguration configuration)
    {
        var connection = trigger.Connection is { Length: > 0 } c ? c : StorageAccount.ConnectionName;
        var account = connection == StorageAccount.ConnectionName
            ? sp.GetRequiredService<StorageAccount>()
            : StorageAccount.FromConfiguration(configuration, connection);
        var queueName = AppSettings.Resolve(trigger.QueueName ?? throw new InvalidOperationException($"{function.Name}: queue trigger without queueName"), configuration);
        return new QueueTriggerListener(
            function,
            account.RawQueues.GetQueueClient(queueName),
            account.RawQueues.GetQueueClient(queueName + "-poison"),
            hostJson,
            sp.GetRequiredService<FunctionInvoker>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name),
            int.TryParse(configuration["Standalone:QueueLeaseSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null);
    }
}
