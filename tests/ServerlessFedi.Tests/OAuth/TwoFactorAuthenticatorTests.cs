using System.Text;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// <see cref="TwoFactorAuthenticator"/> on real storage under a fake clock: RFC 6238's SHA-1 vectors, codes accepted once,
/// recovery codes used once, and secrets sealed to their account.
/// </summary>
[TestClass]
public sealed class TwoFactorAuthenticatorTests
{
    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    // RFC 6238 Appendix B: the SHA-1 seed is the ASCII of "12345678901234567890".
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    private static async Task<(TwoFactorAuthenticator Authenticator, TwoFactorStore Store, TotpSecretProtector Protector, LocalAccount Account, FakeTimeProvider Time)> CreateAsync(DateTimeOffset? start = null)
    {
        // The authenticator's clock alone is fake: accounts get their ids from the real one (the vectors go back to 1970).
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var s = TestStorage.Services(extra: new Dictionary<string, string?> { ["Fedi:TwoFactorKey"] = Key });
        var created = await s.Accounts.CreateAsync(new NewAccount("agency", "Correct-Horse-42-battery", null, null, ActorType.Person, false));
        var store = new TwoFactorStore(s.Tables);
        var protector = new TotpSecretProtector(s.Options);
        return (new TwoFactorAuthenticator(store, protector, s.Urls, s.Options, time), store, protector, created.Account!, time);
    }

    private static string CodeAt(string base32Secret, DateTimeOffset at) =>
        new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp(at.UtcDateTime);

    [TestMethod]
    [DataRow(59L, "94287082")]
    [DataRow(1111111109L, "07081804")]
    [DataRow(1111111111L, "14050471")]
    [DataRow(1234567890L, "89005924")]
    [DataRow(2000000000L, "69279037")]
    [DataRow(20000000000L, "65353130")]
    public async Task The_RFC_6238_SHA1_test_vectors_hold_and_their_six_digit_codes_are_accepted(long unixSeconds, string expected)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        Assert.AreEqual(expected, new Totp(RfcSecret, 30, OtpHashMode.Sha1, 8).ComputeTotp(at.UtcDateTime));

        var (authenticator, store, protector, account, _) = await CreateAsync(at);
        await store.EnableAsync(account.Id, protector.Protect(account.Id, RfcSecret), [], at);
        var enrolment = await store.GetAsync(account.Id);

        // Six digits are the eight-digit value modulo 10^6 (RFC 4226 §5.3).
        Assert.AreEqual(TwoFactorVerdict.Accepted, await authenticator.VerifyAsync(enrolment!, expected[^6..]));
    }

    [TestMethod]
    public async Task A_code_is_accepted_once_and_the_next_steps_code_again()
    {
        var (authenticator, store, _, account, time) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);
        var code = CodeAt(setup.Secret, time.GetUtcNow());

        Assert.AreEqual(TwoFactorVerdict.Accepted, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, code));
        Assert.AreEqual(TwoFactorVerdict.Replayed, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, code));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.AreEqual(TwoFactorVerdict.Replayed, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, code), "still within its window");

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.AreEqual(TwoFactorVerdict.Accepted, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, CodeAt(setup.Secret, time.GetUtcNow())));
    }

    [TestMethod]
    public async Task Wrong_malformed_and_expired_codes_are_refused()
    {
        var (authenticator, store, _, account, time) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);
        var enrolment = (await store.GetAsync(account.Id))!;
        var right = CodeAt(setup.Secret, time.GetUtcNow());
        var wrong = ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, wrong));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, ""));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, null));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, "12345a"));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, new string('1', 10_000)));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, CodeAt(setup.Secret, time.GetUtcNow().AddSeconds(-70))), "two steps old");
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync(enrolment, CodeAt(setup.Secret, time.GetUtcNow().AddSeconds(70))), "two steps ahead");
        Assert.AreEqual(TwoFactorVerdict.Accepted, await authenticator.VerifyAsync(enrolment, right), "refusals used nothing up");
    }

    [TestMethod]
    public async Task A_recovery_code_works_once_however_it_is_typed()
    {
        var (authenticator, store, _, account, _) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);

        Assert.HasCount(TwoFactorAuthenticator.RecoveryCodeCount, setup.RecoveryCodes);
        Assert.AreEqual(TwoFactorAuthenticator.RecoveryCodeCount, setup.RecoveryCodes.Distinct().Count());
        var code = setup.RecoveryCodes[3];
        Assert.AreEqual(TwoFactorVerdict.RecoveryCodeAccepted, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, " " + code.ToUpperInvariant() + " "));
        Assert.AreEqual(TwoFactorVerdict.Wrong, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, code));
        Assert.AreEqual(TwoFactorVerdict.RecoveryCodeAccepted, await authenticator.VerifyAsync((await store.GetAsync(account.Id))!, setup.RecoveryCodes[4].Replace("-", "", StringComparison.Ordinal)));
        Assert.HasCount(TwoFactorAuthenticator.RecoveryCodeCount - 2, (await store.GetAsync(account.Id))!.RecoveryCodeHashes);
    }

    [TestMethod]
    public async Task Concurrent_logins_with_one_code_get_it_accepted_once()
    {
        var (authenticator, store, _, account, time) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);
        var enrolment = (await store.GetAsync(account.Id))!;
        var code = CodeAt(setup.Secret, time.GetUtcNow());

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => authenticator.VerifyAsync(enrolment, code)));

        Assert.AreEqual(1, verdicts.Count(v => v == TwoFactorVerdict.Accepted), string.Join(",", verdicts));
    }

    [TestMethod]
    public async Task The_stored_secret_is_sealed_to_its_account_and_key()
    {
        var (authenticator, store, protector, account, _) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);
        var secret = Base32Encoding.ToBytes(setup.Secret);
        var sealedSecret = (await store.GetAsync(account.Id))!.ProtectedSecret;

        Assert.IsFalse(sealedSecret.AsSpan().IndexOf(secret) >= 0, "the secret is not in the row");
        Assert.IsFalse(Encoding.ASCII.GetString(sealedSecret).Contains(setup.Secret, StringComparison.Ordinal));
        CollectionAssert.AreEqual(secret, protector.Unprotect(account.Id, sealedSecret));
        Assert.IsNull(protector.Unprotect("999999999999999999", sealedSecret), "moved to another account's row");
        var otherKey = new TotpSecretProtector(new ServerlessFedi.Configuration.FediOptions { TwoFactorKey = Convert.ToBase64String(new byte[32]) });
        Assert.IsNull(otherKey.Unprotect(account.Id, sealedSecret), "another key");
        sealedSecret[^1] ^= 1;
        Assert.IsNull(protector.Unprotect(account.Id, sealedSecret), "tampered");
    }

    [TestMethod]
    public async Task Enrolment_prints_a_uri_authenticator_apps_read_and_disable_removes_it()
    {
        var (authenticator, store, _, account, _) = await CreateAsync();
        var setup = await authenticator.EnableAsync(account);

        Assert.AreEqual($"otpauth://totp/Test%20Instance:agency%40social.example.test?secret={setup.Secret}&issuer=Test%20Instance&algorithm=SHA1&digits=6&period=30", setup.OtpAuthUri);
        Assert.AreEqual(32, setup.Secret.Length, "160 bits in base32");
        Assert.IsTrue(await authenticator.DisableAsync(account.Id));
        Assert.IsNull(await store.GetAsync(account.Id));
        Assert.IsFalse(await authenticator.DisableAsync(account.Id));
    }
}
