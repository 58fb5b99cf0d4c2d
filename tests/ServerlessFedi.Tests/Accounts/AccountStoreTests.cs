using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using ServerlessFedi.Accounts;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Accounts;

[TestClass]
public sealed class AccountStoreTests
{
    private const string Password = "Correct-Horse-42-battery";

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task Created_account_is_found_by_id()
    {
        var services = TestStorage.Services(new FakeTimeProvider(Start));
        var created = await CreateAsync(services, "alice", "Alice Agency", "alice@example.test", ActorType.Organization);

        var found = await services.Accounts.GetByIdAsync(created.Id);

        Assert.IsNotNull(found);
        Assert.AreEqual(created.Id, found.Id);
        Assert.AreEqual("alice", found.Username);
        Assert.AreEqual("Alice Agency", found.DisplayName);
        Assert.AreEqual("alice@example.test", found.Email);
        Assert.AreEqual(ActorType.Organization, found.ActorType);
        Assert.AreEqual(Start, found.CreatedAt);
        Assert.AreEqual(created.PasswordHash, found.PasswordHash);
        Assert.AreEqual(created.RsaPrivateKeyPem, found.RsaPrivateKeyPem);
        Assert.AreEqual(created.RsaPublicKeyPem, found.RsaPublicKeyPem);
        CollectionAssert.AreEqual(created.Ed25519PrivateKey, found.Ed25519PrivateKey);
        CollectionAssert.AreEqual(created.Ed25519PublicKey, found.Ed25519PublicKey);
        Assert.IsTrue(SnowflakeIds.IsValid(found.Id));
    }

    [TestMethod]
    public async Task Username_lookup_ignores_case()
    {
        var services = TestStorage.Services();
        var created = await CreateAsync(services, "alice");

        Assert.AreEqual(created.Id, (await services.Accounts.GetByUsernameAsync("alice"))?.Id);
        Assert.AreEqual(created.Id, (await services.Accounts.GetByUsernameAsync("ALICE"))?.Id);
        Assert.AreEqual(created.Id, (await services.Accounts.GetByUsernameAsync("aLiCe"))?.Id);
        Assert.IsNull(await services.Accounts.GetByUsernameAsync("bob"));
    }

    [TestMethod]
    public async Task Username_keeps_the_case_the_operator_typed()
    {
        var services = TestStorage.Services();
        await CreateAsync(services, "CityHall");

        var found = await services.Accounts.GetByUsernameAsync("cityhall");

        Assert.AreEqual("CityHall", found?.Username);
    }

    [TestMethod]
    public async Task Email_lookup_ignores_case()
    {
        var services = TestStorage.Services();
        var created = await CreateAsync(services, "alice", email: "Alice@Example.test");

        Assert.AreEqual(created.Id, (await services.Accounts.GetByEmailAsync("alice@example.test"))?.Id);
        Assert.AreEqual(created.Id, (await services.Accounts.GetByEmailAsync("ALICE@EXAMPLE.TEST"))?.Id);
        Assert.IsNull(await services.Accounts.GetByEmailAsync("bob@example.test"));
        Assert.IsNull(await services.Accounts.GetByEmailAsync(""));
    }

    [TestMethod]
    public async Task Created_account_has_a_matching_rsa_2048_key_pair_in_pem()
    {
        var services = TestStorage.Services();
        var account = await CreateAsync(services, "alice");

        StringAssert.StartsWith(account.RsaPrivateKeyPem, "-----BEGIN PRIVATE KEY-----");
        StringAssert.StartsWith(account.RsaPublicKeyPem, "-----BEGIN PUBLIC KEY-----");
        using var privateKey = RSA.Create();
        privateKey.ImportFromPem(account.RsaPrivateKeyPem);
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(account.RsaPublicKeyPem);

        Assert.AreEqual(2048, privateKey.KeySize);
        Assert.AreEqual(2048, publicKey.KeySize);
        CollectionAssert.AreEqual(privateKey.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
        var data = Encoding.UTF8.GetBytes("(request-target): post /users/bob/inbox");
        var signature = privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.IsTrue(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [TestMethod]
    public async Task Created_account_has_a_matching_ed25519_key_pair()
    {
        var services = TestStorage.Services();
        var account = await CreateAsync(services, "alice");

        Assert.HasCount(32, account.Ed25519PrivateKey);
        Assert.HasCount(32, account.Ed25519PublicKey);
        var ed = SignatureAlgorithm.Ed25519;
        using var privateKey = Key.Import(ed, account.Ed25519PrivateKey, KeyBlobFormat.RawPrivateKey);
        var publicKey = NSec.Cryptography.PublicKey.Import(ed, account.Ed25519PublicKey, KeyBlobFormat.RawPublicKey);
        var data = Encoding.UTF8.GetBytes("{\"type\":\"Note\"}");
        var signature = ed.Sign(privateKey, data);

        Assert.IsTrue(ed.Verify(publicKey, data, signature));
        CollectionAssert.AreEqual(account.Ed25519PublicKey, privateKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    [TestMethod]
    public async Task Two_accounts_get_different_keys()
    {
        var services = TestStorage.Services();
        var alice = await CreateAsync(services, "alice");
        var bob = await CreateAsync(services, "bob");

        Assert.AreNotEqual(alice.RsaPublicKeyPem, bob.RsaPublicKeyPem);
        CollectionAssert.AreNotEqual(alice.Ed25519PublicKey, bob.Ed25519PublicKey);
    }

    [TestMethod]
    public async Task Stored_password_hash_verifies_the_password()
    {
        var services = TestStorage.Services();
        var account = await CreateAsync(services, "alice");
        var stored = await services.Accounts.GetByIdAsync(account.Id);

        Assert.IsNotNull(stored);
        Assert.IsTrue(PasswordHasher.Verify(Password, stored.PasswordHash));
        Assert.IsFalse(PasswordHasher.Verify(Password + "x", stored.PasswordHash));
        Assert.DoesNotContain(Password, stored.PasswordHash);
    }

    [TestMethod]
    public async Task Duplicate_username_in_other_case_is_refused_and_nothing_is_written()
    {
        var services = TestStorage.Services();
        var alice = await CreateAsync(services, "alice", email: "alice@example.test");

        var result = await services.Accounts.CreateAsync(new NewAccount("ALICE", Password, Email: "other@example.test"));

        Assert.IsFalse(result.Succeeded);
        Assert.IsNull(result.Account);
        Assert.HasCount(1, result.Errors);
        Assert.Contains("already taken", result.Errors[0]);
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        Assert.AreEqual(1, await CountAsync(table, StorageKeys.AccountPartition));
        Assert.AreEqual(1, await CountAsync(table, StorageKeys.UsernamePartition));
        Assert.AreEqual(1, await CountAsync(table, StorageKeys.EmailPartition));
        Assert.IsNull(await services.Accounts.GetByEmailAsync("other@example.test"));
        Assert.AreEqual(alice.Id, (await services.Accounts.GetByUsernameAsync("ALICE"))?.Id);
    }

    [TestMethod]
    public async Task Duplicate_email_is_refused_and_frees_the_username_it_claimed()
    {
        var services = TestStorage.Services();
        var alice = await CreateAsync(services, "alice", email: "alice@example.test");

        var refused = await services.Accounts.CreateAsync(new NewAccount("bob", Password, Email: "ALICE@example.test"));

        Assert.IsFalse(refused.Succeeded);
        Assert.HasCount(1, refused.Errors);
        Assert.Contains("already in use", refused.Errors[0]);
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        var (pk, rk) = StorageKeys.Username("bob");
        Assert.IsFalse((await table.GetEntityIfExistsAsync<TableEntity>(pk, rk)).HasValue, "the username row of the refused attempt was left behind");
        Assert.AreEqual(1, await CountAsync(table, StorageKeys.AccountPartition));
        Assert.AreEqual(alice.Id, (await services.Accounts.GetByEmailAsync("alice@example.test"))?.Id);

        var bob = await services.Accounts.CreateAsync(new NewAccount("bob", Password, Email: "bob@example.test"));

        Assert.IsTrue(bob.Succeeded, string.Join("; ", bob.Errors));
        Assert.AreEqual(bob.Account!.Id, (await services.Accounts.GetByUsernameAsync("bob"))?.Id);
        Assert.AreEqual(2, await CountAsync(table, StorageKeys.AccountPartition));
    }

    [TestMethod]
    [DataRow("al ice")]
    [DataRow("alice!")]
    [DataRow("")]
    [DataRow("abcdefghijabcdefghijabcdefghij1")]
    [DataRow("admin")]
    [DataRow("Admin")]
    [DataRow("../x")]
    [DataRow("alice@example.test")]
    public async Task Invalid_username_is_refused_and_nothing_is_written(string username)
    {
        var services = TestStorage.Services();

        var result = await services.Accounts.CreateAsync(new NewAccount(username, Password));

        Assert.IsFalse(result.Succeeded);
        Assert.IsNotEmpty(result.Errors);
        Assert.IsTrue(result.Errors.Any(e => e.Contains("username", StringComparison.Ordinal)), string.Join("; ", result.Errors));
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        Assert.AreEqual(0, await CountAsync(table));
    }

    [TestMethod]
    public async Task Username_of_exactly_30_characters_is_accepted()
    {
        var services = TestStorage.Services();

        var result = await services.Accounts.CreateAsync(new NewAccount("abcdefghij_bcdefghij0123456789", Password));

        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
    }

    [TestMethod]
    [DataRow("short1!", DisplayName = "too short")]
    [DataRow("alllowercaseletters", DisplayName = "one character class")]
    [DataRow("password123", DisplayName = "password123")]
    [DataRow("password1234", DisplayName = "password1234: two classes, under 20 characters")]
    [DataRow("Aaaaaaaaaaaaa1!", DisplayName = "too few distinct characters")]
    [DataRow("My-alice-Pass-2024", DisplayName = "contains the username")]
    [DataRow("My-ALICE-Pass-2024", DisplayName = "contains the username in other case")]
    public async Task Weak_password_is_refused_and_nothing_is_written(string password)
    {
        var services = TestStorage.Services();

        var result = await services.Accounts.CreateAsync(new NewAccount("alice", password));

        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Errors.Any(e => e.Contains("password", StringComparison.Ordinal)), string.Join("; ", result.Errors));
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        Assert.AreEqual(0, await CountAsync(table));
    }

    [TestMethod]
    public async Task Every_problem_of_a_request_is_reported_at_once()
    {
        var services = TestStorage.Services();

        var result = await services.Accounts.CreateAsync(new NewAccount("al ice", "short", Email: "not-an-address", DisplayName: new string('x', 31)));

        Assert.HasCount(4, result.Errors);
    }

    [TestMethod]
    public async Task Orphan_username_index_row_does_not_block_the_username()
    {
        var services = TestStorage.Services();
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        await table.AddEntityAsync(new TableEntity("username", "bob") { ["AccountId"] = "999999999999999999", ["ClaimedAt"] = DateTimeOffset.UtcNow.AddMinutes(-10) });

        var result = await services.Accounts.CreateAsync(new NewAccount("bob", Password));

        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        var index = await table.GetEntityAsync<TableEntity>("username", "bob");
        Assert.AreEqual(result.Account!.Id, index.Value.GetString("AccountId"));
        Assert.AreEqual(result.Account.Id, (await services.Accounts.GetByUsernameAsync("bob"))?.Id);
    }

    [TestMethod]
    public async Task A_fresh_index_row_without_its_account_still_blocks_the_username()
    {
        // Its creation may still be running: only after the grace period is it an orphan.
        var services = TestStorage.Services();
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        await table.AddEntityAsync(new TableEntity("username", "bob") { ["AccountId"] = "999999999999999999", ["ClaimedAt"] = DateTimeOffset.UtcNow });

        var result = await services.Accounts.CreateAsync(new NewAccount("bob", Password));

        Assert.IsFalse(result.Succeeded);
        StringAssert.Contains(result.Errors.Single(), "already taken");
    }

    [TestMethod]
    public async Task Orphan_email_index_row_does_not_block_the_address()
    {
        var services = TestStorage.Services();
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        var (pk, rk) = StorageKeys.Email("bob@example.test");
        await table.AddEntityAsync(new TableEntity(pk, rk) { ["AccountId"] = "999999999999999999", ["ClaimedAt"] = DateTimeOffset.UtcNow.AddMinutes(-10) });

        var result = await services.Accounts.CreateAsync(new NewAccount("bob", Password, Email: "bob@example.test"));

        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        Assert.AreEqual(result.Account!.Id, (await services.Accounts.GetByEmailAsync("bob@example.test"))?.Id);
    }

    [TestMethod]
    public async Task Concurrent_creation_of_one_username_yields_one_account()
    {
        var services = TestStorage.Services();
        using var gate = new GatedClock(gateAtReading: 3);
        var first = new AccountStore(services.Tables, new SnowflakeIds(TimeProvider.System), gate);
        var second = new AccountStore(new FediTables(services.Account, services.Options), new SnowflakeIds(TimeProvider.System), TimeProvider.System);

        // The first store's third clock reading (CreatedAt, username claim, e-mail claim) comes after it has claimed the
        // username and before it writes the account: the window in which a second creation must not take the name over.
        var firstCreate = Task.Run(() => first.CreateAsync(new NewAccount("bob", Password, Email: "bob1@example.test")));
        await gate.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        var secondResult = await second.CreateAsync(new NewAccount("bob", Password, Email: "bob2@example.test"));
        gate.Release();
        var firstResult = await firstCreate;

        Assert.IsTrue(firstResult.Succeeded ^ secondResult.Succeeded, $"first: {firstResult.Succeeded}, second: {secondResult.Succeeded}");
        var bobs = 0;
        await foreach (var account in services.AccountListings.ListAsync())
        {
            bobs += account.Username == "bob" ? 1 : 0;
        }

        Assert.AreEqual(1, bobs);
    }

    [TestMethod]
    [DataRow("abc")]
    [DataRow("../x")]
    [DataRow("")]
    [DataRow("12345678901234567")]
    [DataRow("1234567890123456789")]
    [DataRow("12345678901234567/")]
    public async Task Malformed_id_finds_nothing_without_throwing(string id)
    {
        var services = TestStorage.Services();
        await CreateAsync(services, "alice");

        Assert.IsNull(await services.Accounts.GetByIdAsync(id));
    }

    [TestMethod]
    public async Task Unknown_well_formed_id_finds_nothing()
    {
        var services = TestStorage.Services();
        await CreateAsync(services, "alice");

        Assert.IsNull(await services.Accounts.GetByIdAsync("999999999999999999"));
    }

    [TestMethod]
    [DataRow("../x")]
    [DataRow("alice#x")]
    [DataRow("")]
    public async Task Malformed_username_lookup_finds_nothing_without_throwing(string username)
    {
        var services = TestStorage.Services();
        await CreateAsync(services, "alice");

        Assert.IsNull(await services.Accounts.GetByUsernameAsync(username));
    }

    /// <summary>Creates an account with a valid password and asserts it was created.</summary>
    internal static async Task<LocalAccount> CreateAsync(TestServices services, string username, string? displayName = null, string? email = null, ActorType type = ActorType.Person)
    {
        var result = await services.Accounts.CreateAsync(new NewAccount(username, Password, displayName, email, type));
        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        Assert.IsEmpty(result.Errors);
        return result.Account!;
    }

    private static async Task<int> CountAsync(TableClient table, string? partition = null)
    {
        var count = 0;
        var query = partition is null
            ? table.QueryAsync<TableEntity>()
            : table.QueryAsync<TableEntity>(e => e.PartitionKey == partition);
        await foreach (var entity in query)
        {
            count++;
        }

        return count;
    }

    /// <summary>A clock whose first reading blocks until released, to stop a store between two of its writes.</summary>
    private sealed class GatedClock(int gateAtReading) : TimeProvider, IDisposable
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();
        private int _readings;

        public Task Reached => _reached.Task;

        public void Release() => _release.Set();

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _readings) == gateAtReading)
            {
                _reached.SetResult();
                _release.Wait(TimeSpan.FromMinutes(1));
            }

            // The same clock as the competing store: only the ordering is under test.
            return System.GetUtcNow();
        }

        public void Dispose() => _release.Dispose();
    }
}
