using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Azure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Remote;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The product under test: the standalone host in-process on a loopback port (as the tests' <c>TestInstance</c>), over a
/// fresh storage prefix and fresh queue names, with the remote client resolving <c>*.bench.invalid</c> to 127.0.0.1.
/// Its queue listeners are stopped after start-up; the benchmark drives them (<see cref="QueueTriggerListener.PollOnceAsync"/>)
/// one phase at a time, so each phase's storage transactions and time are its own.
/// </summary>
public sealed class BenchInstance : IAsyncDisposable
{
    public const string BenchDomain = ".bench.invalid";

    private readonly WebApplication _app;
    private readonly Dictionary<string, QueueTriggerListener> _listeners;
    private volatile string _httpPhase = "http";

    private BenchInstance(WebApplication app, string baseUrl, string prefix, Dictionary<string, QueueTriggerListener> listeners)
    {
        _app = app;
        _listeners = listeners;
        BaseUrl = baseUrl;
        Prefix = prefix;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public string Prefix { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public FederationQueues Queues => Services.GetRequiredService<FederationQueues>();

    public InstanceUrls Urls => Services.GetRequiredService<InstanceUrls>();

    public StorageAccount Storage => Services.GetRequiredService<StorageAccount>();

    public int QueueBatchSize => Services.GetRequiredService<HostJsonSettings>().QueueBatchSize;

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
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Fedi:BaseUrl"] = baseUrl,
            ["Fedi:StoragePrefix"] = prefix,
            ["Fedi:InstanceTitle"] = "Benchmark",
            ["Fedi:AllowPrivateNetworks"] = "true",
            [FederationQueues.InboxSetting] = $"{prefix}-inbox",
            [FederationQueues.FanoutSetting] = $"{prefix}-fanout",
            [FederationQueues.DeliverSetting] = $"{prefix}-deliver",
            [FederationQueues.AccountsSetting] = $"{prefix}-accounts",
            [FederationQueues.MediaSetting] = $"{prefix}-media",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();

        BenchInstance? instance = null;
        var app = StandaloneHost.Build(["--urls", baseUrl], configuration, FunctionsOutputDirectory, services =>
        {
            services.AddSingleton<IStartupFilter>(new PhaseStartupFilter(() => instance?.HttpPhase ?? "http"));
            services.AddSingleton(sp => new RemoteClient(
                sp.GetRequiredService<FediOptions>(),
                sp.GetRequiredService<InstanceUrls>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RemoteClient>>(),
                RemoteClientLimits.Default,
                ResolveBenchHosts));
        });
        await app.StartAsync();

        var listeners = app.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().ToList();
        foreach (var listener in listeners)
        {
            await listener.StopAsync(CancellationToken.None);
        }

        instance = new BenchInstance(app, baseUrl, prefix, listeners.ToDictionary(l => l.QueueName, StringComparer.Ordinal));
        return instance;
    }

    public async Task<LocalAccount> CreateAccountAsync(string username)
    {
        var result = await Services.GetRequiredService<AccountStore>().CreateAsync(new NewAccount(username, "Benchmark-Horse-42-battery", username, null, ActorType.Organization));
        return result.Account ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

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

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
