using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Storage;

/// <summary>
/// The core's services (<c>AddFedi</c>) over a fresh storage prefix, every storage client's requests passing through
/// <see cref="Faults"/> (Azurite; no queue listeners: a test runs the messages itself). Test classes add their helpers.
/// </summary>
internal class FaultyCore : IAsyncDisposable
{
    public FaultyCore()
    {
        var configuration = TestStorage.Configuration(TestStorage.NewPrefix());
        Services = new ServiceCollection().AddFedi(configuration)
            .AddSingleton(StorageAccount.FromConfiguration(configuration, configureOptions: Faults.AddTo))
            .BuildServiceProvider();
    }

    public StorageFaults Faults { get; } = new();

    protected ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public virtual ValueTask DisposeAsync() => Services.DisposeAsync();
}
