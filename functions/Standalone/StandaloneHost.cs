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

    /// <summary>The <c>serve</c> mode's longest wait, after the server listens, before the triggers start without a first request (<see cref="TriggerStartGate"/>).</summary>
    public static readonly TimeSpan ServeTriggerStartDelay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The host over the app in <paramref name="appDirectory"/>. With <paramref name="triggerStartDelay"/> the queue listeners
    /// and timers start after the first answer or that long after the server listens (<see cref="TriggerStartGate"/>);
    /// without, they start with the host.
    /// </summary>
    public static WebApplication Build(string[] args, IConfiguration configuration, string? appDirectory = null, Action<IServiceCollection>? configureServices = null, TimeSpan? triggerStartDelay = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        appDirectory ??= AppContext.BaseDirectory;

        // Both files are read (and their JSON code compiled) on another core while the web host builder is created.
        var directory = appDirectory;
        var metadata = Task.Run(() => (
            FunctionDescriptor.Load(Path.Combine(directory, "functions.metadata")),
            HostJsonSettings.Load(Path.Combine(directory, "host.json"))));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, NoConfigReload], ContentRootPath = appDirectory });
        var (functions, hostJson) = metadata.GetAwaiter().GetResult();
        StartupTrace.Mark("metadata");

        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddRouting();
        builder.Services.AddFedi(builder.Configuration);
        builder.Services.AddSingleton(hostJson);
        var gate = triggerStartDelay is null ? TriggerStartGate.Immediate() : new TriggerStartGate();
        builder.Services.AddSingleton(gate);
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
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name),
                    gate));
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
        if (triggerStartDelay is { } delay)
        {
            var time = app.Services.GetRequiredService<TimeProvider>();
            app.Lifetime.ApplicationStarted.Register(() => _ = OpenAfterAsync(gate, delay, time, app.Lifetime.ApplicationStopping));
            _ = Task.Run(() => WarmUpAsync(app.Services.GetRequiredService<FediTables>(), logger));
        }

        app.Run(async context =>
        {
            try
            {
                await AnswerAsync(app, routes, logger, context);
            }
            finally
            {
                gate.Open();
            }
        });
        return app;
    }

    private static async Task AnswerAsync(WebApplication app, HttpRouteTable routes, ILogger logger, HttpContext context)
    {
        StartupTrace.MarkOnce("first-request");
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
    }

    /// <summary>
    /// Begins the accounts table's per-process probe (<see cref="FediTables"/>: the transaction the first request that
    /// reads an account would make anyway, and then shares) while the server starts, so that the storage pipeline's first
    /// connection and compiled code are ready when the first request comes. A failure is the first request's to report.
    /// </summary>
    private static async Task WarmUpAsync(FediTables tables, ILogger logger)
    {
        try
        {
            await tables.GetAsync(StorageNames.AccountsTable);
        }
#pragma warning disable CA1031 // The first request that needs the table tries again and answers for the failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogDebug(ex, "Warming up the storage connection failed");
        }
    }

    private static async Task OpenAfterAsync(TriggerStartGate gate, TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, time, stopping);
            gate.Open();
        }
        catch (OperationCanceledException)
        {
            // The host stopped first: the triggers never start.
        }
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
            int.TryParse(configuration["Standalone:QueueLeaseSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
            sp.GetRequiredService<TriggerStartGate>());
    }
}
