using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Storage;

namespace ServerlessFedi.Tests.Accounts;

[TestClass]
public sealed class InstanceActorStoreTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task Instance_actor_keeps_its_key_across_calls_and_store_instances()
    {
        var services = TestStorage.Services(new FakeTimeProvider(Start));

        var first = await services.InstanceActor.GetOrCreateAsync();
        var second = await services.InstanceActor.GetOrCreateAsync();
        var otherTables = new FediTables(services.Account, services.Options);
        var otherStore = new InstanceActorStore(otherTables, TimeProvider.System);
        var third = await otherStore.GetOrCreateAsync();

        Assert.AreEqual(first, second);
        Assert.AreEqual(first, third);
        Assert.AreEqual(Start, third.CreatedAt);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(first.RsaPrivateKeyPem);
        Assert.AreEqual(2048, rsa.KeySize);
    }

    /// <summary>Issue 17 item 9: the first activities reaching a fresh instance all need the instance actor at once.</summary>
    [TestMethod]
    public async Task Concurrent_first_callers_share_one_read_one_key_and_one_insert()
    {
        var faults = new StorageFaults();
        var services = TestStorage.Services(new FakeTimeProvider(Start), storageOptions: faults.AddTo);
        await services.Tables.GetAsync(StorageNames.AccountsTable);
        var accountsTable = services.Tables.PhysicalName(StorageNames.AccountsTable);
        bool ToAccounts(string request) => request.Contains(accountsTable, StringComparison.Ordinal) && !request.StartsWith("POST /Tables", StringComparison.Ordinal);
        var before = faults.Count(ToAccounts);

        var actors = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => services.InstanceActor.GetOrCreateAsync())));
        var again = await services.InstanceActor.GetOrCreateAsync();

        Assert.AreEqual(1, actors.Append(again).Distinct().Count(), "one key for everyone");
        Assert.AreEqual(2, faults.Count(ToAccounts) - before, "one read (404) and one insert, however many callers: " + string.Join(", ", faults.Attempts));
    }
}
