using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Standalone;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>
/// The <c>serve</c> mode starts its queue listeners and timers after the first answer, or
/// <see cref="StandaloneHost.ServeTriggerStartDelay"/> after it listens, so that the first request of a cold process does
/// not share it with their first receives (docs/PERFORMANCE.md "Cold start and memory"); messages sent meanwhile wait.
/// </summary>
[TestClass]
public sealed class TriggerStartGateTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_message_sent_before_the_first_answer_waits_and_is_processed_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartServeAsync(time);
        var accounts = app.Services.GetRequiredService<StorageAccount>().RawQueues.GetQueueClient(app.Services.GetRequiredService<FederationQueues>().Accounts);
        await app.Services.GetRequiredService<WorkQueue>().SendAccountDeletionAsync(new AccountDeletionMessage(null, null, AccountDeletionMessage.Finish), TestContext.CancellationToken);

        Assert.IsFalse(app.Services.GetRequiredService<TriggerStartGate>().IsOpen);
        Assert.HasCount(1, (await accounts.PeekMessagesAsync(cancellationToken: TestContext.CancellationToken)).Value);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var answer = await http.GetAsync(new Uri("/.well-known/host-meta", UriKind.Relative), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode);
        Assert.IsTrue(app.Services.GetRequiredService<TriggerStartGate>().IsOpen);
        await Eventually.TrueAsync(
            async () => (await accounts.PeekMessagesAsync(cancellationToken: TestContext.CancellationToken)).Value.Length == 0,
            "the accounts listener took the waiting message");
    }

    [TestMethod]
    public async Task Without_a_request_the_triggers_start_after_the_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await StartServeAsync(time);
        var gate = app.Services.GetRequiredService<TriggerStartGate>();

        time.Advance(StandaloneHost.ServeTriggerStartDelay - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(gate.IsOpen);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => Task.FromResult(gate.IsOpen), "the gate opened after the delay");
    }

    [TestMethod]
    public async Task Without_a_delay_the_triggers_start_with_the_host()
    {
        await using var instance = await TestInstance.StartAsync();

        Assert.IsTrue(instance.Services.GetRequiredService<TriggerStartGate>().IsOpen);
    }

    private static async Task<WebApplication> StartServeAsync(FakeTimeProvider time)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestStorage.Settings(TestStorage.NewPrefix(), baseUrl)).Build();
        var app = StandaloneHost.Build(
            ["--urls", baseUrl], configuration, FunctionsApp.OutputDirectory, services => services.AddSingleton<TimeProvider>(time), StandaloneHost.ServeTriggerStartDelay);
        await app.StartAsync();
        return app;
    }
}
