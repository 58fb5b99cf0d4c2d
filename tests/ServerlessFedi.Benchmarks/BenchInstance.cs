using System.Net;
using System.Reflection;
using Azure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Remote;
using ServerlessFedi.Storage;
using ServerlessFedi.Testing;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The product under test: the standalone host in-process on a loopback port (<see cref="StandaloneInstance"/>, shared with
/// the tests' <c>TestInstance</c>), over a fresh storage prefix and fresh queue names, with the remote client resolving
/// <c>*.bench.invalid</c> to 127.0.0.1.
/// Its queue listeners and timers do not start with it (their <see cref="TriggerStartGate"/> stays closed until
/// <see cref="StartListenersAsync"/>); the benchmark drives the listeners (<see cref="QueueTriggerListener.PollOnceAsync"/>)
/// one phase at a time, so each phase's storage transactions and time are its own.
/// </summary>
public sealed class BenchInstance : IAsyncDisposable
{
    public const string BenchDomain = ".bench.invalid";

    private readonly StandaloneInstance _instance;
    private readonly Dictionary<string, QueueTriggerListener> _listeners;
    private readonly TriggerStartGate _triggers;
    private volatile string _httpPhase = "http";

    private BenchInstance(StandaloneInstance instance, string prefix, Dictionary<string, QueueTriggerListener> listeners)
    {
        _instance = instance;
        _listeners = listeners;
        _triggers = instance.Services.GetRequiredService<TriggerStartGate>();
        Prefix = prefix;
    }

    public string BaseUrl => _instance.BaseUrl;

    public string Prefix { get; }

    public HttpClient Http => _instance.Http;

    public IServiceProvider Services => _instance.Services;

    public FederationQueues Queues => Services.GetRequiredService<FederationQueues>();

    public InstanceUrls Urls => Services.GetRequiredService<InstanceUrls>();

    public StorageAccount Storage => Services.GetRequiredService<StorageAccount>();

    public int QueueBatchSize => Services.GetRequiredService<HostJsonSettings>().QueueBatchSize;

    /// <summary>Messages one host instance has in flight per queue at most: <c>batchSize + newBatchThreshold</c> of host.json.</summary>
    public int HostInFlight => QueueBatchSize + Services.GetRequiredService<HostJsonSettings>().QueueNewBatchThreshold;

    /// <summary>The phase under which the host's HTTP requests are counted from now on.</summary>
    public string HttpPhase
    {
        get => _httpPhase;
        set => _httpPhase = value;
    }

    public static string FunctionsOutputDirectory { get; } = Path.GetFullPath(
        typeof(BenchInstance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutputDir").Value!);

    public static async Task<BenchInstance> StartAsync(string connectionString, string prefix)
    {
        BenchInstance? bench = null;
        var instance = await StandaloneInstance.StartAsync(
            FunctionsOutputDirectory,
            baseUrl => new Dictionary<string, string?>(StandaloneInstance.Settings(connectionString, prefix, baseUrl, "Benchmark")) { ["Logging:LogLevel:Default"] = "Warning" },
            services =>
            {
                services.AddSingleton<IStartupFilter>(new PhaseStartupFilter(() => bench?.HttpPhase ?? "http"));
                services.AddSingleton(sp => new RemoteClient(
                    sp.GetRequiredService<FediOptions>(),
                    sp.GetRequiredService<InstanceUrls>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<RemoteClient>>(),
                    RemoteClientLimits.Default,
                    ResolveBenchHosts));
                services.AddSingleton(sp => new ApiRateLimiter(new WindowAdvancingTime(), sp.GetRequiredService<ClientAddress>()));

                // Never opened: the queue listeners and timers never begin, and the benchmark drives the listeners itself
                // (PollOnceAsync, DrainAsync). Stopping them right after the start instead could cancel a listener before
                // its ExecuteAsync began, which the host reports as a failed BackgroundService and answers by stopping.
                services.AddSingleton(new TriggerStartGate());
            });

        var listeners = instance.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().ToList();
        bench = new BenchInstance(instance, prefix, listeners.ToDictionary(l => l.QueueName, StringComparer.Ordinal));
        return bench;
    }

    public Task<LocalAccount> CreateAccountAsync(string username) =>
        _instance.CreateAccountAsync(new NewAccount(username, "Benchmark-Horse-42-battery", username, null, ActorType.Organization));

    /// <summary>One receive of up to a batch from <paramref name="queue"/>, processed by its queue function as the host would.</summary>
    public Task<int> PollOnceAsync(string queue) => _listeners[queue].PollOnceAsync(CancellationToken.None);

    /// <summary>
    /// Processes <paramref name="queue"/> with <paramref name="pollers"/> concurrent receive loops, each ending at its first
    /// empty receive (each loop has up to a batch of messages in flight, like one host instance).
    /// </summary>
    public async Task<DrainResult> DrainAsync(string queue, int pollers)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, pollers).Select(_ => Task.Run(async () =>
        {
            int messages = 0, polls = 0;
            while (true)
            {
                polls++;
                var received = await PollOnceAsync(queue);
                if (received == 0)
                {
                    return (messages, polls);
                }

                messages += received;
            }
        })));
        return new DrainResult(results.Sum(r => r.messages), results.Sum(r => r.polls), pollers);
    }

    /// <summary>Processes <paramref name="queue"/> as one host instance does (host.json's batch settings) until it is empty.</summary>
    public Task<int> DrainAsHostAsync(string queue) => _listeners[queue].DrainAsync(CancellationToken.None);

    /// <summary>
    /// Starts (or stops) every queue listener: the host as deployed, polling its queues with host.json's back-off, its
    /// polls counted in the caller's phase. The first start ends the listeners' wait at the closed gate, then opens it
    /// (the timers begin too) and starts them again in this phase.
    /// </summary>
    public async Task StartListenersAsync()
    {
        if (!_triggers.IsOpen)
        {
            await StopListenersAsync();
            _triggers.Open();
        }

        await Task.WhenAll(_listeners.Values.Select(l => l.StartAsync(CancellationToken.None)));
    }

    /// <inheritdoc cref="StartListenersAsync"/>
    public Task StopListenersAsync() => Task.WhenAll(_listeners.Values.Select(l => l.StopAsync(CancellationToken.None)));

    /// <summary>Deletes every table, queue and container of this run's prefix.</summary>
    public async Task CleanupAsync()
    {
        var options = Services.GetRequiredService<FediOptions>();
        var storage = Storage;
        foreach (var table in StorageNames.AllTables)
        {
            await IgnoreMissingAsync(() => storage.Tables.GetTableClient(StorageNames.Table(options.StoragePrefix, table)).DeleteAsync());
        }

        await Services.GetRequiredService<WeeklyTables>().DeleteWeeksBeforeAsync(StorageNames.InboxSeenTable, DateTimeOffset.MaxValue.AddDays(-8), CancellationToken.None);
        foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            await IgnoreMissingAsync(() => storage.Queues.GetQueueClient(queue).DeleteIfExistsAsync());
        }

        foreach (var container in StorageNames.AllContainers)
        {
            await IgnoreMissingAsync(() => storage.Blobs.GetBlobContainerClient(StorageNames.Queue(options.StoragePrefix, container)).DeleteIfExistsAsync());
        }
    }

    public ValueTask DisposeAsync() => _instance.DisposeAsync();

    private static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    private static Task<IPAddress[]> ResolveBenchHosts(string host, CancellationToken cancellationToken) =>
        host.EndsWith(BenchDomain, StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult(new[] { IPAddress.Loopback })
            : Dns.GetHostAddressesAsync(host, cancellationToken);
}
