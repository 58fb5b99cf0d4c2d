using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

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
}
