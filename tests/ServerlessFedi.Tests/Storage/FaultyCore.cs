using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;
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

    /// <summary>A new local account with a fresh username.</summary>
    public async Task<LocalAccount> AccountAsync() =>
        (await Get<AccountStore>().CreateAsync(new NewAccount("t" + Guid.NewGuid().ToString("N")[..10], "Correct-Horse-42-battery"))).Account!;

    /// <summary>A new local account and a public status of it, stored as a row only (no timelines, no fan-out).</summary>
    public async Task<(LocalAccount Author, Status Status)> PostAsync(string text = "Storm warning")
    {
        var author = await AccountAsync();
        var status = new Status { Id = Get<SnowflakeIds>().Next(), AccountId = author.Id, Text = text, ContentHtml = $"<p>{text}</p>", CreatedAt = DateTimeOffset.UtcNow };
        await Get<StatusStore>().AddAsync(status, CancellationToken.None);
        return (author, status);
    }

    /// <summary>How many notifications the account has.</summary>
    public async Task<int> NotificationsAsync(string accountId)
    {
        var count = 0;
        await foreach (var _ in Get<NotificationStore>().ScanAsync(accountId, null, null, 1000, 100_000, CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    public virtual ValueTask DisposeAsync() => Services.DisposeAsync();
}
