using System.Security.Cryptography;
using OtpNet;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// TOTP second factors (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, as every authenticator app reads them): enrolment,
/// verification with replay refusal, and single-use recovery codes stored as SHA-256. The throttle is the caller's.
/// </summary>
public sealed class TwoFactorAuthenticator(TwoFactorStore store, TotpSecretProtector protector, InstanceUrls urls, FediOptions options, TimeProvider time)
{
    /// <summary>RFC 4226 §4 (R6) recommends a 160-bit shared secret.</summary>
    public const int SecretBytes = 20;

    public const int RecoveryCodeCount = 10;

    public const int Digits = 6;

    public const int StepSeconds = 30;

    // 80 bits per recovery code: too many to search through their SHA-256, so no slow hash is needed.
    private const string RecoveryAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int RecoveryLength = 16;

    // RFC 6238 §5.2: one step either side absorbs clock drift and the time the owner takes to type.
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    // Concurrent logins of one account take turns by ETag; past this many rounds the code is refused (fail closed).
    private const int MaxRounds = 5;

    /// <summary>The enrolment of the account, or null when it has none. Storage: 1 read.</summary>
    public Task<TwoFactorEnrolment?> GetEnrolmentAsync(string accountId, CancellationToken cancellationToken = default) =>
        store.GetAsync(accountId, cancellationToken);

    /// <summary>A new secret and new recovery codes for the account, replacing any earlier enrolment. Storage: 1 upsert.</summary>
    public Task<TwoFactorSetup> EnableAsync(LocalAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return EnableAsync(account.Id, account.Username, cancellationToken);
    }

    /// <summary>
    /// The same for any login subject (an account id, or a staff member's <c>StaffMember.Subject</c>), shown in the
    /// authenticator app as <paramref name="label"/> at the instance's domain. Storage: 1 upsert.
    /// </summary>
    public async Task<TwoFactorSetup> EnableAsync(string subject, string label, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        await store.EnableAsync(subject, protector.Protect(subject, secret), codes.Select(HashRecoveryCode).ToList(), time.GetUtcNow(), cancellationToken);
        var base32 = Base32Encoding.ToString(secret).TrimEnd('=');
        return new TwoFactorSetup(base32, OtpAuthUri(label, base32), codes);
    }

    /// <summary>Removes the account's second factor; false when it had none. Storage: 1 delete.</summary>
    public Task<bool> DisableAsync(string accountId, CancellationToken cancellationToken = default) =>
        store.DisableAsync(accountId, cancellationToken);

    /// <summary>
    /// Checks a 6-digit code (the current step or one either side) or a recovery code, and records its use so it is never
    /// accepted again. Storage: 1 conditional merge when accepted, plus 1 read and 1 merge per round lost to a concurrent login.
    /// </summary>
    public async Task<TwoFactorVerdict> VerifyAsync(TwoFactorEnrolment enrolment, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        var typed = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToLowerInvariant();
        if (typed.Length > 64)
        {
            return TwoFactorVerdict.Wrong;
        }

        var current = enrolment;
        for (var round = 0; round < MaxRounds && current is not null; round++)
        {
            long step;
            IReadOnlyList<string> remaining;
            if (typed.Length == Digits && typed.All(char.IsAsciiDigit))
            {
                if (protector.Unprotect(current.AccountId, current.ProtectedSecret) is not { } secret
                    || !new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits).VerifyTotp(time.GetUtcNow().UtcDateTime, typed, out step, Window))
                {
                    return TwoFactorVerdict.Wrong;
                }

                if (step <= current.LastUsedStep)
                {
                    return TwoFactorVerdict.Replayed;
                }

                remaining = current.RecoveryCodeHashes;
            }
            else if (typed.Length == RecoveryLength && current.RecoveryCodeHashes.Contains(HashRecoveryCode(typed), StringComparer.Ordinal))
            {
                step = current.LastUsedStep;
                var used = HashRecoveryCode(typed);
                remaining = current.RecoveryCodeHashes.Where(h => h != used).ToList();
            }
            else
            {
                return TwoFactorVerdict.Wrong;
            }

            if (await store.TryRecordUseAsync(current, step, remaining, cancellationToken))
            {
                return remaining.Count == current.RecoveryCodeHashes.Count ? TwoFactorVerdict.Accepted : TwoFactorVerdict.RecoveryCodeAccepted;
            }

            // Another login used a code of this account first: decide again on the row as it is now.
            current = await store.GetAsync(enrolment.AccountId, cancellationToken);
        }

        return TwoFactorVerdict.Wrong;
    }

    /// <summary>SHA-256 (hex) of a recovery code as typed without dashes or spaces, lower-cased.</summary>
    internal static string HashRecoveryCode(string code) => StorageKeys.Sha256Hex(code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());

    /// <summary>16 base32 letters and digits in groups of four, e.g. <c>k3pq-7hza-mm2x-tr4b</c>.</summary>
    private static string NewRecoveryCode()
    {
        var code = RandomNumberGenerator.GetString(RecoveryAlphabet, RecoveryLength);
        return string.Join('-', Enumerable.Range(0, RecoveryLength / 4).Select(i => code.Substring(i * 4, 4)));
    }

    /// <summary>Key URI Format (github.com/google/google-authenticator/wiki/Key-Uri-Format): issuer, account, secret, parameters.</summary>
    private string OtpAuthUri(string username, string base32Secret)
    {
        var issuer = Uri.EscapeDataString(options.InstanceTitle);
        var label = issuer + ":" + Uri.EscapeDataString(username + "@" + urls.AccountDomain);
        return $"otpauth://totp/{label}?secret={base32Secret}&issuer={issuer}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }
}
