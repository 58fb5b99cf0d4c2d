using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Http;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Login throttling: every password check is claimed before the (expensive, Argon2id) check runs, so parallel guesses
/// cannot outrun the count, and a lockout slows the guessing addresses rather than the account's owner.
/// <list type="number">
/// <item>Per client address (<see cref="ClientAddress"/>), in memory per process: <see cref="AddressAttempts"/> attempts
/// per <see cref="AddressWindow"/>, Mastodon's <c>throttle_login_attempts/ip</c>. Addresses are never stored.</item>
/// <item>Per account (or unknown login name), in storage shared by every instance, claimed by a conditional write: the
/// first <see cref="FreeFailures"/> checks run at once; after that one check per back-off interval, which doubles from
/// <see cref="FirstBackoff"/> to <see cref="MaxBackoff"/> with each further claim; the count is forgotten after
/// <see cref="ForgetAfter"/> without a claimed check, and a successful login clears it.</item>
/// <item>During a back-off, an address that has not tried this account within <see cref="ForgetAfter"/> (in this process)
/// is still checked, up to <see cref="CleanAddressChecks"/> times per account per <see cref="ForgetAfter"/>: the owner
/// logging in from their own address passes while an attacker's addresses wait.</item>
/// </list>
/// Storage transactions: a claim 1 point read + 1 conditional write (retried on a concurrent claim, at most
/// <see cref="MaxClaimRounds"/> rounds, then refused); a refusal during a back-off 1 read and no write; a refusal by
/// address none; <see cref="ClearAsync"/> 1 delete.
/// </summary>
public sealed class LoginThrottle(FediTables tables, TimeProvider time)
{
    public const int AddressAttempts = 25;

    public const int FreeFailures = 5;

    public const int CleanAddressChecks = 10;

    /// <summary>Concurrent claims on one account take turns by ETag; past this many rounds a claim is refused (fail closed).</summary>
    public const int MaxClaimRounds = 32;

    public static readonly TimeSpan AddressWindow = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    private const int MaxTrackedAddresses = 50_000;

    private readonly WindowCounters _addresses = new(time, AddressWindow, MaxTrackedAddresses);

    // Which address already tried which account: one hit marks it, so concurrent first attempts agree on who was first.
    private readonly WindowCounters _tried = new(time, ForgetAfter, MaxTrackedAddresses);

    /// <summary>
    /// Claims one password check of <paramref name="subject"/> (an account id, or <c>u</c> + the SHA-256 of an unknown
    /// login) from <paramref name="address"/>; a claimed check counts as a failure until <see cref="ClearAsync"/>.
    /// </summary>
    public async Task<LoginClaim> ClaimAsync(string subject, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(address);
        var (allowed, _, reset) = _addresses.Hit(address, AddressAttempts);
        if (!allowed)
        {
            return LoginClaim.Refused(reset - time.GetUtcNow());
        }

        var firstFromAddress = _tried.Hit(subject + "|" + address, 1).Allowed;
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.LoginFailures(subject);
        for (var round = 0; round < MaxClaimRounds; round++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            var current = row.HasValue ? row.Value! : null;
            var now = time.GetUtcNow();
            var (admitted, next, retryAfter) = Decide(State.Of(current), now, firstFromAddress);
            if (!admitted)
            {
                return LoginClaim.Refused(retryAfter);
            }

            var entity = next.ToEntity(pk, rk);
            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return LoginClaim.Admitted;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another check of this account was claimed first: read its count and decide again.
            }
        }

        return LoginClaim.Refused(FirstBackoff);
    }

    /// <summary>After a successful login: the account's count and back-off are gone.</summary>
    public async Task ClearAsync(string subject, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.LoginFailures(subject);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>The back-off after the <paramref name="failures"/>-th counted check: none below <see cref="FreeFailures"/>, then 1, 2, 4, 8, 15 minutes.</summary>
    internal static TimeSpan Backoff(int failures) => failures < FreeFailures
        ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - FreeFailures, 10)));

    private static (bool Admitted, State Next, TimeSpan RetryAfter) Decide(State state, DateTimeOffset now, bool firstFromAddress)
    {
        if (state.LastClaimAt is { } last && now - last >= ForgetAfter && now >= state.NotBefore)
        {
            state = new State(0, null, DateTimeOffset.MinValue, 0, null);
        }

        if (now >= state.NotBefore)
        {
            var failures = state.Failures + 1;
            return (true, state with { Failures = failures, LastClaimAt = now, NotBefore = now + Backoff(failures) }, TimeSpan.Zero);
        }

        var (cleanStart, cleanUsed) = state.CleanWindowStart is { } start && now - start < ForgetAfter ? (start, state.CleanChecks) : (now, 0);
        if (firstFromAddress && cleanUsed < CleanAddressChecks)
        {
            return (true, state with { CleanChecks = cleanUsed + 1, CleanWindowStart = cleanStart }, TimeSpan.Zero);
        }

        return (false, state, state.NotBefore - now);
    }

    /// <summary>An account's row: counted checks, the last one, when the next may run, and the checks granted to new addresses.</summary>
    private sealed record State(int Failures, DateTimeOffset? LastClaimAt, DateTimeOffset NotBefore, int CleanChecks, DateTimeOffset? CleanWindowStart)
    {
        public static State Of(TableEntity? row) => row is null
            ? new State(0, null, DateTimeOffset.MinValue, 0, null)
            : new State(
                row.GetInt32(nameof(Failures)) ?? 0,
                row.GetDateTimeOffset(nameof(LastClaimAt)),
                row.GetDateTimeOffset(nameof(NotBefore)) ?? DateTimeOffset.MinValue,
                row.GetInt32(nameof(CleanChecks)) ?? 0,
                row.GetDateTimeOffset(nameof(CleanWindowStart)));

        public TableEntity ToEntity(string pk, string rk) => new(pk, rk)
        {
            [nameof(Failures)] = Failures,
            [nameof(LastClaimAt)] = LastClaimAt,
            [nameof(NotBefore)] = NotBefore == DateTimeOffset.MinValue ? null : NotBefore,
            [nameof(CleanChecks)] = CleanChecks,
            [nameof(CleanWindowStart)] = CleanWindowStart,
        };
    }
}
