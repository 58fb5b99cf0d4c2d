using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Storage;

/// <summary>
/// <see cref="FediServices.AddFedi"/> and a storage account created before it: <c>serve</c> creates the storage clients and
/// table clients on another thread as it starts (docs/PERFORMANCE.md "Cold start and memory"), and AddFedi must use those
/// rather than create a second set whose first table probe would be another transaction.
/// </summary>
[TestClass]
public sealed class StorageRegistrationTests
{
    [TestMethod]
    public void AddFedi_uses_the_storage_account_and_tables_registered_before_it()
    {
        var configuration = TestStorage.Configuration(TestStorage.NewPrefix());
        var account = StorageAccount.FromConfiguration(configuration);
        var tables = new FediTables(account, FediServices.ReadOptions(configuration));

        using var services = new ServiceCollection().AddSingleton(account).AddSingleton(tables).AddFedi(configuration).BuildServiceProvider();

        Assert.AreSame(account, services.GetRequiredService<StorageAccount>());
        Assert.AreSame(tables, services.GetRequiredService<FediTables>());
    }
}
