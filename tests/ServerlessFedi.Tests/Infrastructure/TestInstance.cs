using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Testing;

namespace ServerlessFedi.Tests.Infrastructure;

/// <summary>
/// The standalone host running in-process on a loopback port (<see cref="StandaloneInstance"/>, shared with the
/// benchmark), serving the real functions.metadata over real HTTP, with its own storage prefix. <see cref="BaseUrl"/> is
/// also its configured public origin.
/// </summary>
public sealed class TestInstance : IAsyncDisposable
{
    private readonly StandaloneInstance _instance;

    private TestInstance(StandaloneInstance instance, string prefix)
    {
        _instance = instance;
        Prefix = prefix;
    }

    public string BaseUrl => _instance.BaseUrl;

    public string Prefix { get; }

    public HttpClient Http => _instance.Http;

    public IServiceProvider Services => _instance.Services;

    public AccountStore Accounts => Services.GetRequiredService<AccountStore>();

    /// <summary>Starts an instance; <paramref name="configureServices"/> may replace services (a remote client with a fake network, a clock).</summary>
    public static async Task<TestInstance> StartAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var prefix = TestStorage.NewPrefix();
        var instance = await StandaloneInstance.StartAsync(FunctionsApp.OutputDirectory, baseUrl => TestStorage.Settings(prefix, baseUrl, extra), configureServices);
        return new TestInstance(instance, prefix);
    }

    public async Task<LocalAccount> CreateAccountAsync(string username, ActorType type = ActorType.Person, string? displayName = null, string? email = null)
    {
        var result = await Accounts.CreateAsync(new NewAccount(username, "Correct-Horse-42-battery", displayName ?? username, email, type));
        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        return result.Account!;
    }

    public ValueTask DisposeAsync() => _instance.DisposeAsync();
}
