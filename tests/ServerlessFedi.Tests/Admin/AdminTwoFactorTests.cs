using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.OAuth;

namespace ServerlessFedi.Tests.Admin;

/// <summary><c>admin account 2fa enable|disable</c> in-process against Azurite, one storage prefix per test.</summary>
[TestClass]
public sealed partial class AdminTwoFactorTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, configuration, stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<(IConfiguration Configuration, TwoFactorStore Store, string AccountId)> WithAccountAsync(string? key = null)
    {
        var prefix = TestStorage.NewPrefix();
        var configuration = TestStorage.Configuration(prefix, extra: new Dictionary<string, string?> { ["Fedi:TwoFactorKey"] = key ?? TwoFactorAuthenticatorTests.Key });
        var options = FediServices.ReadOptions(configuration);
        var tables = new FediTables(StorageAccount.FromConfiguration(configuration), options);
        var created = await new AccountStore(tables, new SnowflakeIds(TimeProvider.System), TimeProvider.System)
            .CreateAsync(new NewAccount("agency", "Correct-Horse-42-battery", null, null, ActorType.Person, false));
        return (configuration, new TwoFactorStore(tables), created.Account!.Id);
    }

    [TestMethod]
    public async Task Enable_prints_the_uri_a_qr_code_and_ten_recovery_codes_once_and_stores_only_their_hashes()
    {
        var (configuration, store, accountId) = await WithAccountAsync();
        var png = Path.Combine(Path.GetTempPath(), "2fa-" + Guid.NewGuid() + ".png");
        try
        {
            var run = await RunAsync(configuration, "account", "2fa", "enable", "--username", "agency", "--qr-png", png);

            Assert.AreEqual(0, run.Exit, run.Stderr);
            var uri = UriLine().Match(run.Stdout);
            Assert.IsTrue(uri.Success, run.Stdout);
            Assert.Contains("█", run.Stdout);
            var codes = RecoveryLine().Matches(run.Stdout).Select(m => m.Groups[1].Value).ToList();
            Assert.HasCount(TwoFactorAuthenticator.RecoveryCodeCount, codes);
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
            var enrolment = await store.GetAsync(accountId);
            Assert.IsNotNull(enrolment);
            CollectionAssert.AreEquivalent(codes.Select(TwoFactorAuthenticator.HashRecoveryCode).ToList(), enrolment.RecoveryCodeHashes.ToList());
            Assert.IsFalse(enrolment.RecoveryCodeHashes.Any(h => codes.Any(c => h.Contains(c.Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal))));
        }
        finally
        {
            File.Delete(png);
        }
    }

    [TestMethod]
    public async Task Enable_refuses_an_enrolled_account_without_replace_and_disable_removes_the_second_factor()
    {
        var (configuration, store, accountId) = await WithAccountAsync();
        Assert.AreEqual(0, (await RunAsync(configuration, "account", "2fa", "enable", "--username", "agency")).Exit);
        var first = await store.GetAsync(accountId);

        var again = await RunAsync(configuration, "account", "2fa", "enable", "--username", "agency");
        Assert.AreEqual(1, again.Exit);
        Assert.Contains("--replace", again.Stderr);
        Assert.AreEqual(first!.ETag, (await store.GetAsync(accountId))!.ETag, "unchanged");

        Assert.AreEqual(0, (await RunAsync(configuration, "account", "2fa", "enable", "--username", "agency", "--replace")).Exit);
        Assert.AreNotEqual(first.ETag, (await store.GetAsync(accountId))!.ETag);

        var disable = await RunAsync(configuration, "account", "2fa", "disable", "--username", "agency");
        Assert.AreEqual(0, disable.Exit, disable.Stderr);
        Assert.Contains("disabled", disable.Stdout);
        Assert.IsNull(await store.GetAsync(accountId));
    }

    [TestMethod]
    public async Task Enable_without_a_key_or_for_an_unknown_account_explains_itself()
    {
        var (configuration, store, accountId) = await WithAccountAsync(key: "");

        var noKey = await RunAsync(configuration, "account", "2fa", "enable", "--username", "agency");
        var unknown = await RunAsync((await WithAccountAsync()).Configuration, "account", "2fa", "enable", "--username", "nobody");

        Assert.AreEqual(1, noKey.Exit);
        Assert.Contains("Fedi__TwoFactorKey", noKey.Stderr);
        Assert.IsNull(await store.GetAsync(accountId));
        Assert.AreEqual(1, unknown.Exit);
        Assert.Contains("no local account 'nobody'", unknown.Stderr);
    }

    [GeneratedRegex(@"^URI:\s+otpauth://totp/[^\s]+secret=[A-Z2-7]{32}&issuer=[^\s]+$", RegexOptions.Multiline)]
    private static partial Regex UriLine();

    [GeneratedRegex(@"^  ([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})\r?$", RegexOptions.Multiline)]
    private static partial Regex RecoveryLine();
}
