using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Accounts;

[TestClass]
public sealed class AccountListingStoreTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task List_returns_every_account_oldest_first()
    {
        var time = new FakeTimeProvider(Start);
        var services = TestStorage.Services(time);
        string[] names = ["carol", "alice", "bob", "dave"];
        foreach (var name in names)
        {
            await AccountStoreTests.CreateAsync(services, name);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var listed = new List<LocalAccount>();
        await foreach (var account in services.AccountListings.ListAsync())
        {
            listed.Add(account);
        }

        CollectionAssert.AreEqual(names, listed.Select(a => a.Username).ToArray());
        CollectionAssert.AreEqual(listed.Select(a => a.CreatedAt).Order().ToArray(), listed.Select(a => a.CreatedAt).ToArray());
    }

    [TestMethod]
    public async Task List_of_an_empty_instance_is_empty()
    {
        var services = TestStorage.Services();

        var count = 0;
        await foreach (var account in services.AccountListings.ListAsync())
        {
            count++;
        }

        Assert.AreEqual(0, count);
    }

    [TestMethod]
    public async Task Totals_count_local_users()
    {
        var services = TestStorage.Services(new FakeTimeProvider(Start));
        Assert.AreEqual(new AccountTotals(0, 0, 0, 0), await services.AccountListings.GetTotalsAsync());

        await AccountStoreTests.CreateAsync(services, "alice");
        await AccountStoreTests.CreateAsync(services, "bob");
        await AccountStoreTests.CreateAsync(services, "carol");
        await services.InstanceActor.GetOrCreateAsync();

        var totals = await services.AccountListings.GetTotalsAsync();

        Assert.AreEqual(new AccountTotals(3, 0, 0, 0), totals);
    }

    [TestMethod]
    public async Task Instance_actor_is_not_listed_as_an_account()
    {
        var services = TestStorage.Services();
        await services.InstanceActor.GetOrCreateAsync();
        await AccountStoreTests.CreateAsync(services, "alice");

        var names = new List<string>();
        await foreach (var account in services.AccountListings.ListAsync())
        {
            names.Add(account.Username);
        }

        CollectionAssert.AreEqual(new[] { "alice" }, names);
    }
}
