using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Failed password attempts per account (or per unknown login name): after <see cref="MaxFailures"/> failures within <see cref="Window"/> the account
/// is locked for <see cref="LockDuration"/>, even for the right password. Storage transactions: check 1 point read;
/// failure 1 read + 1 conditional write (retried on a concurrent write); success 1 delete when failures were recorded.
/// </summary>
public sealed class LoginThrottle(FediTables tables, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    /// <summary>Whether the account is locked now, and the row's state for the follow-up call.</summary>
    public async Task<LoginState> GetAsync(string subject, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.LoginFailures(subject);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return new LoginState(false, false);
        }

        var locked = row.Value!.GetDateTimeOffset("LockedUntil") is { } until && until > time.GetUtcNow();
        return new LoginState(locked, true);
    }

    public async Task RecordFailureAsync(string subject, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.LoginFailures(subject);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            var current = row.HasValue ? row.Value! : null;
            var windowStart = current?.GetDateTimeOffset("WindowStart") ?? now;
            var count = current?.GetInt32("Failures") ?? 0;
            if (now - windowStart >= Window)
            {
                windowStart = now;
                count = 0;
            }

            count++;
            var update = new TableEntity(pk, rk)
            {
                ["WindowStart"] = windowStart,
                ["Failures"] = count,
                ["LockedUntil"] = count >= MaxFailures ? now + LockDuration : current?.GetDateTimeOffset("LockedUntil"),
            };
            if (count >= MaxFailures)
            {
                // The lock starts a new window, so the next failure after it expires counts from one.
                update["WindowStart"] = now + LockDuration;
                update["Failures"] = 0;
            }

            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(update, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(update, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // A concurrent failure was recorded first: read again.
            }
        }
    }

    public async Task ResetAsync(string subject, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.LoginFailures(subject);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }
}
