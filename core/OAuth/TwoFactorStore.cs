using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// TOTP enrolments in the <c>oauth</c> table, one row per account (<see cref="StorageKeys.TwoFactor"/>), apart from the
/// account row. Storage transactions: get 1 point read; enable 1 upsert; disable 1 delete; recording a used step or a used
/// recovery code 1 merge conditional on the read's ETag (a concurrent use of the same code loses).
/// </summary>
public sealed class TwoFactorStore(FediTables tables)
{
    public async Task<TwoFactorEnrolment?> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.TwoFactor(accountId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        return new TwoFactorEnrolment(
            accountId,
            e.GetBinary("Secret") ?? [],
            e.GetInt64("LastUsedStep") ?? 0,
            (e.GetString("RecoveryCodes") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            e.GetDateTimeOffset("EnabledAt") ?? DateTimeOffset.MinValue,
            e.ETag.ToString());
    }

    /// <summary>Writes a new enrolment, replacing any earlier one (its secret and recovery codes stop working).</summary>
    public async Task EnableAsync(string accountId, byte[] protectedSecret, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset enabledAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodeHashes);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.TwoFactor(accountId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["Secret"] = protectedSecret,
            ["LastUsedStep"] = 0L,
            ["RecoveryCodes"] = string.Join(' ', recoveryCodeHashes),
            ["EnabledAt"] = enabledAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes the enrolment; false when there was none.</summary>
    public async Task<bool> DisableAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.TwoFactor(accountId);
        var response = await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        return response.Status != (int)HttpStatusCode.NotFound;
    }

    /// <summary>
    /// Records that a code of <paramref name="step"/> (and optionally a recovery code, removed from the list) was used,
    /// if the row is still as read; false when another login changed it first (read again and decide again).
    /// </summary>
    public async Task<bool> TryRecordUseAsync(TwoFactorEnrolment enrolment, long step, IReadOnlyList<string> recoveryCodeHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        ArgumentNullException.ThrowIfNull(recoveryCodeHashes);
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.TwoFactor(enrolment.AccountId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk)
            {
                ["LastUsedStep"] = step,
                ["RecoveryCodes"] = string.Join(' ', recoveryCodeHashes),
            }, new ETag(enrolment.ETag), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
