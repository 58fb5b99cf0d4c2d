using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Standalone;

namespace ServerlessFedi.Testing;

/// <summary>
/// The product as the tests (<c>TestInstance</c>) and the benchmark (<c>BenchInstance</c>) run it: the standalone host
/// in-process on a free loopback port, serving the real <c>functions.metadata</c> over real HTTP, its address also its
/// configured public origin, over its own storage prefix and queue names. Compiled into both projects from this one file.
/// </summary>
internal sealed class StandaloneInstance : IAsyncDisposable
{
    private StandaloneInstance(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The settings of an instance over <paramref name="prefix"/>: storage, public origin, queue names, loopback federation allowed.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string prefix, string baseUrl, string title) => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["Fedi:BaseUrl"] = baseUrl,
        ["Fedi:StoragePrefix"] = prefix,
        ["Fedi:InstanceTitle"] = title,
        ["Fedi:AllowPrivateNetworks"] = "true",
        [FederationQueues.InboxSetting] = $"{prefix}-inbox",
        [FederationQueues.FanoutSetting] = $"{prefix}-fanout",
        [FederationQueues.DeliverSetting] = $"{prefix}-deliver",
        [FederationQueues.AccountsSetting] = $"{prefix}-accounts",
        [FederationQueues.MediaSetting] = $"{prefix}-media",
        [FederationQueues.PushSetting] = $"{prefix}-push",
    };

    /// <summary>Starts the host from <paramref name="functionsDirectory"/> with the settings made for its address.</summary>
    public static async Task<StandaloneInstance> StartAsync(string functionsDirectory, Func<string, IDictionary<string, string?>> settings, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings(baseUrl)).Build();
        var app = StandaloneHost.Build(["--urls", baseUrl], configuration, functionsDirectory, services);
        await app.StartAsync();
        return new StandaloneInstance(app, baseUrl);
    }

    /// <summary>Creates a local account; throws with the reasons when it is refused.</summary>
    public async Task<LocalAccount> CreateAccountAsync(NewAccount request)
    {
        var result = await Services.GetRequiredService<AccountStore>().CreateAsync(request);
        return result.Account ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
