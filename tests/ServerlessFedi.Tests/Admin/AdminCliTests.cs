using Microsoft.Extensions.Configuration;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Crypto;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Admin;

/// <summary>The admin CLI driven in-process against Azurite, one storage prefix per test.</summary>
[TestClass]
public sealed class AdminCliTests
{
    private const string Password = "S3cret-pass-123";

    [TestMethod]
    public async Task Storage_init_creates_and_lists_every_table()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("storage", "init");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        foreach (var table in StorageNames.AllTables)
        {
            Assert.Contains($"table     {cli.Prefix}{table}", run.Stdout);
        }

        Assert.Contains("Azurite", run.Stdout);
        var existing = new List<string>();
        await foreach (var item in cli.Services().Account.Tables.QueryAsync(t => t.Name.CompareTo(cli.Prefix) >= 0 && t.Name.CompareTo(cli.Prefix + "{") < 0))
        {
            existing.Add(item.Name);
        }

        CollectionAssert.AreEquivalent(StorageNames.AllTables.Select(t => cli.Prefix + t).ToArray(), existing);
    }

    [TestMethod]
    public async Task Storage_init_is_safe_to_repeat()
    {
        var cli = new Cli();

        var first = await cli.RunAsync("storage", "init");
        var second = await cli.RunAsync("storage", "init");

        Assert.AreEqual(0, first.Exit, first.Stderr);
        Assert.AreEqual(0, second.Exit, second.Stderr);
        Assert.AreEqual(first.Stdout, second.Stdout);
    }

    [TestMethod]
    public async Task Account_create_creates_the_account_and_prints_its_handle_and_actor()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--username", "alice", "--password", Password,
            "--display-name", "Alice Agency", "--email", "alice@example.test", "--type", "Organization");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        Assert.AreEqual("", run.Stderr);
        Assert.Contains("@alice@social.example.test", run.Stdout);
        Assert.Contains("https://social.example.test/users/alice", run.Stdout);
        Assert.DoesNotContain(Password, run.Stdout);
        var account = await cli.Services().Accounts.GetByUsernameAsync("alice");
        Assert.IsNotNull(account);
        Assert.AreEqual(ActorType.Organization, account.ActorType);
        Assert.AreEqual("Alice Agency", account.DisplayName);
        Assert.AreEqual("alice@example.test", account.Email);
        Assert.IsFalse(account.Locked);
        Assert.IsTrue(PasswordHasher.Verify(Password, account.PasswordHash));
        Assert.Contains(account.Id, run.Stdout);
    }

    [TestMethod]
    public async Task Account_create_defaults_to_an_unlocked_person_and_takes_locked()
    {
        var cli = new Cli();

        var plain = await cli.RunAsync("account", "create", "--username", "alice", "--password", Password);
        var locked = await cli.RunAsync("account", "create", "--username", "bob", "--password", Password, "--locked", "--type", "service");

        Assert.AreEqual(0, plain.Exit, plain.Stderr);
        Assert.AreEqual(0, locked.Exit, locked.Stderr);
        var services = cli.Services();
        var alice = await services.Accounts.GetByUsernameAsync("alice");
        var bob = await services.Accounts.GetByUsernameAsync("bob");
        Assert.AreEqual(ActorType.Person, alice?.ActorType);
        Assert.IsFalse(alice?.Locked);
        Assert.AreEqual(ActorType.Service, bob?.ActorType);
        Assert.IsTrue(bob?.Locked);
    }

    [TestMethod]
    public async Task Account_create_with_a_taken_username_in_other_case_fails()
    {
        var cli = new Cli();
        var first = await cli.RunAsync("account", "create", "--username", "alice", "--password", Password);
        Assert.AreEqual(0, first.Exit, first.Stderr);

        var run = await cli.RunAsync("account", "create", "--username", "ALICE", "--password", Password);

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("already taken", run.Stderr);
        Assert.AreEqual("", run.Stdout);
        Assert.AreEqual(1, await CountAccountsAsync(cli));
    }

    [TestMethod]
    [DataRow("short1!")]
    [DataRow("alllowercaseletters")]
    [DataRow("my-alice-pass-2024")]
    public async Task Account_create_with_a_weak_password_fails(string password)
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--username", "alice", "--password", password);

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("password", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    [DataRow("al ice")]
    [DataRow("alice!")]
    [DataRow("admin")]
    [DataRow("abcdefghijabcdefghijabcdefghij1")]
    public async Task Account_create_with_a_bad_username_fails(string username)
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--username", username, "--password", Password);

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("username", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    public async Task Account_create_with_a_bad_email_fails()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--username", "alice", "--password", Password, "--email", "not-an-address");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("e-mail", run.Stderr);
    }

    [TestMethod]
    public async Task Account_create_reads_the_password_from_stdin()
    {
        var cli = new Cli();

        var run = await cli.RunWithStdinAsync(Password + "\r\nignored second line\n", "account", "create", "--username", "alice", "--password-stdin");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        Assert.DoesNotContain(Password, run.Stdout);
        var account = await cli.Services().Accounts.GetByUsernameAsync("alice");
        Assert.IsNotNull(account);
        Assert.IsTrue(PasswordHasher.Verify(Password, account.PasswordHash));
    }

    [TestMethod]
    public async Task Account_create_with_empty_stdin_fails()
    {
        var cli = new Cli();

        var run = await cli.RunWithStdinAsync("", "account", "create", "--username", "alice", "--password-stdin");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("password is required", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    public async Task Account_create_without_a_password_prints_a_generated_one_once_as_the_last_line()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--username", "alice");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var generated = lines[^1];
        Assert.IsGreaterThanOrEqualTo(AccountRules.MinPasswordLength, generated.Length);
        Assert.IsNull(AccountRules.CheckPassword(generated, "alice"));
        Assert.AreEqual(1, CountOccurrences(run.Stdout, generated));
        var account = await cli.Services().Accounts.GetByUsernameAsync("alice");
        Assert.IsNotNull(account);
        Assert.IsTrue(PasswordHasher.Verify(generated, account.PasswordHash));
    }

    [TestMethod]
    public async Task Generated_passwords_differ()
    {
        var cli = new Cli();

        var first = await cli.RunAsync("account", "create", "--username", "alice");
        var second = await cli.RunAsync("account", "create", "--username", "bob");

        Assert.AreEqual(0, first.Exit, first.Stderr);
        Assert.AreEqual(0, second.Exit, second.Stderr);
        Assert.AreNotEqual(LastLine(first.Stdout), LastLine(second.Stdout));
    }

    [TestMethod]
    public async Task Password_and_password_stdin_together_is_a_usage_error()
    {
        var cli = new Cli();

        var run = await cli.RunWithStdinAsync(Password + "\n", "account", "create", "--username", "alice", "--password", "x", "--password-stdin");

        Assert.AreEqual(2, run.Exit);
        Assert.Contains("--password-stdin", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    public async Task Account_list_shows_every_account()
    {
        var cli = new Cli();
        Assert.AreEqual(0, (await cli.RunAsync("account", "create", "--username", "alice", "--password", Password, "--display-name", "Alice Agency")).Exit);
        Assert.AreEqual(0, (await cli.RunAsync("account", "create", "--username", "Bob", "--password", Password, "--type", "Service")).Exit);

        var run = await cli.RunAsync("account", "list");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(4, lines, run.Stdout);
        StringAssert.StartsWith(lines[0], "ID");
        Assert.Contains("@alice@social.example.test", lines[1]);
        Assert.Contains("Alice Agency", lines[1]);
        Assert.Contains("@Bob@social.example.test", lines[2]);
        Assert.Contains("Service", lines[2]);
        Assert.AreEqual("2 account(s)", lines[3]);
    }

    [TestMethod]
    public async Task Account_list_of_an_empty_instance_says_so()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "list");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        Assert.Contains("0 account(s)", run.Stdout);
    }

    [TestMethod]
    public async Task Token_create_prints_a_token_that_resolves_to_the_account_and_scopes()
    {
        var cli = new Cli();
        Assert.AreEqual(0, (await cli.RunAsync("account", "create", "--username", "alice", "--password", Password)).Exit);
        var alice = await cli.Services().Accounts.GetByUsernameAsync("alice");

        var run = await cli.RunAsync("token", "create", "--username", "ALICE", "--scopes", "read write follow push");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        var token = LastLine(run.Stdout);
        Assert.AreEqual(1, CountOccurrences(run.Stdout, token));
        var found = await cli.Services().Tokens.FindAsync(token);
        Assert.IsNotNull(found);
        Assert.AreEqual(alice!.Id, found.AccountId);
        CollectionAssert.AreEqual(new[] { "read", "write", "follow", "push" }, found.Scopes.ToArray());
        Assert.AreEqual("admin CLI", found.Description);
    }

    [TestMethod]
    public async Task Token_create_defaults_to_read_and_keeps_the_description()
    {
        var cli = new Cli();
        Assert.AreEqual(0, (await cli.RunAsync("account", "create", "--username", "alice", "--password", Password)).Exit);

        var run = await cli.RunAsync("token", "create", "--username", "alice", "--description", "press office bot");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        var found = await cli.Services().Tokens.FindAsync(LastLine(run.Stdout));
        Assert.IsNotNull(found);
        CollectionAssert.AreEqual(new[] { "read" }, found.Scopes.ToArray());
        Assert.AreEqual("press office bot", found.Description);
    }

    [TestMethod]
    public async Task Token_create_with_an_unknown_scope_fails()
    {
        var cli = new Cli();
        Assert.AreEqual(0, (await cli.RunAsync("account", "create", "--username", "alice", "--password", Password)).Exit);

        var run = await cli.RunAsync("token", "create", "--username", "alice", "--scopes", "read destroy");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("destroy", run.Stderr);
        Assert.AreEqual("", run.Stdout);
    }

    [TestMethod]
    public async Task Token_create_for_an_unknown_user_fails()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("token", "create", "--username", "nobody", "--scopes", "read");

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("nobody", run.Stderr);
        Assert.AreEqual("", run.Stdout);
    }

    [TestMethod]
    public async Task Missing_required_option_is_a_usage_error()
    {
        var cli = new Cli();

        var run = await cli.RunAsync("account", "create", "--password", Password);

        Assert.AreEqual(2, run.Exit);
        Assert.Contains("--username", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    [DataRow("frobnicate")]
    [DataRow("account", "delete")]
    [DataRow("account", "create", "--username", "alice", "--password", "S3cret-pass-123", "--type", "Robot")]
    [DataRow("account", "create", "--username", "alice", "--password", "S3cret-pass-123", "--colour", "blue")]
    public async Task Unknown_command_or_option_is_a_usage_error(params string[] args)
    {
        var cli = new Cli();

        var run = await cli.RunAsync(args);

        Assert.AreEqual(2, run.Exit);
        Assert.Contains("admin --help", run.Stderr);
        Assert.AreEqual(0, await CountAccountsAsync(cli));
    }

    [TestMethod]
    public async Task Invalid_configuration_fails_with_the_reason()
    {
        var configuration = TestStorage.Configuration(TestStorage.NewPrefix(), "https://social.example.test/sub/path");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await AdminCli.RunAsync(["account", "list"], configuration, stdout, stderr, new StringReader(""));

        Assert.AreEqual(1, exit);
        Assert.Contains("Fedi__BaseUrl", stderr.ToString());
    }

    private static async Task<int> CountAccountsAsync(Cli cli)
    {
        var count = 0;
        await foreach (var account in cli.Services().AccountListings.ListAsync())
        {
            count++;
        }

        return count;
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[^1];

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed record CliRun(int Exit, string Stdout, string Stderr);

    /// <summary>One storage prefix: runs the CLI over it and builds core services over the same tables to check what it did.</summary>
    private sealed class Cli
    {
        public string Prefix { get; } = TestStorage.NewPrefix();

        public IConfiguration Configuration => TestStorage.Configuration(Prefix);

        public Task<CliRun> RunAsync(params string[] args) => RunWithStdinAsync("", args);

        public async Task<CliRun> RunWithStdinAsync(string stdin, params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            using var input = new StringReader(stdin);
            var exit = await AdminCli.RunAsync(args, Configuration, stdout, stderr, input);
            return new CliRun(exit, stdout.ToString(), stderr.ToString());
        }

        public TestServices Services()
        {
            var configuration = Configuration;
            var options = FediServices.ReadOptions(configuration);
            var account = StorageAccount.FromConfiguration(configuration);
            return new TestServices(Prefix, configuration, options, new InstanceUrls(options), account, new FediTables(account, options), TimeProvider.System);
        }
    }
}
