using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// A test instance whose answers repeat exactly, for golden files: a fake clock that moves only when told, ids from a
/// fixed sequence, and queue work run only by <see cref="DrainAsync"/> (the listeners are stopped), so every id, time
/// and list order is the same on every run.
/// </summary>
internal sealed class GoldenInstance : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The configured public origin (the instance listens on a random loopback port; no URL it writes shows it). A public
    /// name, so private networks stay refused (the validator allows them only with test names); nothing here federates.
    /// </summary>
    public const string BaseUrl = "https://social.example.gov";

    private readonly List<QueueTriggerListener> _listeners;

    private GoldenInstance(TestInstance instance, FakeTimeProvider time, List<QueueTriggerListener> listeners)
    {
        Instance = instance;
        Time = time;
        _listeners = listeners;
    }

    public TestInstance Instance { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => Instance.Services;

    /// <summary>The storage transactions counted per request (<see cref="StartCountedAsync"/>); disposed with the instance.</summary>
    public StorageTransactions Transactions => _transactions ?? throw new InvalidOperationException("Started without counting: use StartCountedAsync");

    private StorageTransactions? _transactions;

    /// <summary>An instance whose requests sent through <see cref="StorageTransactions.SendCountedAsync"/> are counted in <see cref="Transactions"/>.</summary>
    public static async Task<GoldenInstance> StartCountedAsync()
    {
        var transactions = new StorageTransactions();
        try
        {
            var g = await StartAsync(configureServices: s => s.AddSingleton(StorageTransactions.StartupFilter));
            g._transactions = transactions;
            return g;
        }
        catch
        {
            transactions.Dispose();
            throw;
        }
    }

    public static async Task<GoldenInstance> StartAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var time = new FakeTimeProvider(Start);
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>()) { ["Fedi:BaseUrl"] = BaseUrl, ["Fedi:AllowPrivateNetworks"] = "false" };
        var instance = await TestInstance.StartAsync(settings, services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(new SnowflakeIds(time, () => 0));
            configureServices?.Invoke(services);
        });
        var listeners = instance.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().ToList();
        foreach (var listener in listeners)
        {
            await listener.StopAsync(CancellationToken.None);
        }

        return new GoldenInstance(instance, time, listeners);
    }

    public async Task<(LocalAccount Account, string Token)> AccountAsync(string username, string? displayName = null, params string[] scopes)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var account = await Instance.CreateAccountAsync(username, displayName: displayName);
        var token = await Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, scopes.Length == 0 ? ["read", "write", "follow"] : scopes);
        return (account, token);
    }

    /// <summary>Runs queued work (fan-out, deliveries, inbox) until every queue is empty; deliveries to unknown hosts fail fast.</summary>
    public async Task DrainAsync()
    {
        for (var round = 0; round < 20; round++)
        {
            var processed = 0;
            foreach (var listener in _listeners)
            {
                processed += await listener.PollOnceAsync(CancellationToken.None);
            }

            if (processed == 0)
            {
                return;
            }
        }
    }

    /// <summary>Sends a request one second after the previous one (so times and ids are distinct but fixed).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? json = null)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = ApiTestClient.Json(json);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Instance.Http.SendAsync(request);
    }

    /// <summary>Sends the request and compares the answer with <c>Golden/{name}.json</c>; returns the body for the next steps.</summary>
    public async Task<JsonElement> GoldenAsync(string name, HttpMethod method, string path, string? token = null, object? json = null, params (string Pattern, string Replacement)[] scrub)
    {
        using var response = await SendAsync(method, path, token, json);
        await GoldenJson.MatchAsync(name, response, scrub);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string name, string path, string? token = null) => GoldenAsync(name, HttpMethod.Get, path, token);

    public Task<JsonElement> PostAsync(string name, string path, string? token, object? json = null) => GoldenAsync(name, HttpMethod.Post, path, token, json ?? new { });

    /// <summary>A request whose answer is not pinned (setting up state); fails unless it succeeds.</summary>
    public async Task<JsonElement> DoAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        using var response = await SendAsync(method, path, token, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        _transactions?.Dispose();
    }
}
