using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Functions.Standalone;

namespace ServerlessFedi.Tests.Infrastructure;

/// <summary>
/// The standalone host running in-process on a loopback port, serving the real functions.metadata over real HTTP,
/// with its own storage prefix. <see cref="BaseUrl"/> is also its configured public origin.
/// </summary>
public sealed class TestInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestInstance(WebApplication app, string baseUrl, string prefix)
    {
        _app = app;
        BaseUrl = baseUrl;
        Prefix = prefix;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public string Prefix { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public AccountStore Accounts => Services.GetRequiredService<AccountStore>();

    /// <summary>Starts an instance; <paramref name="configureServices"/> may replace services (a remote client with a fake network, a clock, a storage account with injected faults).</summary>
    public static async Task<TestInstance> StartAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var prefix = TestStorage.NewPrefix();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestStorage.Settings(prefix, baseUrl, extra)).Build();
        string[] args = ["--urls", baseUrl];
        var app = StandaloneHost.Build(args, configuration, FunctionsApp.OutputDirectory, configureServices);
        await app.StartAsync();
        return new TestInstance(app, baseUrl, prefix);
    }

    public async Task<LocalAccount> CreateAccountAsync(string username, ActorType type = ActorType.Person, string? displayName = null, string? email = null)
    {
        var result = await Accounts.CreateAsync(new NewAccount(username, "Correct-Horse-42-battery", displayName ?? username, email, type));
        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        return result.Account!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
