using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Configuration;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Push;

/// <summary>
/// The instance's VAPID key pair, created once and kept beside the instance actor in the <c>accounts</c> table
/// (<see cref="StorageKeys.VapidKey"/>). Creation is an insert that fails when the row exists, so instances starting at
/// once agree on the first writer's key: every subscription is bound to it, so it is never replaced. The private key is
/// sealed like TOTP secrets (<see cref="TotpSecretProtector"/>, AES-256-GCM under <c>Fedi__TwoFactorKey</c>, associated
/// data <c>vapid</c>) when that key is set; without it, it is stored as the actors' signing keys are.
/// Storage: the first call per process 1 point read (+1 insert, +1 read when another process inserted first); then none.
/// </summary>
public sealed class VapidKeyStore(FediTables tables, TotpSecretProtector protector)
{
    private const string SealPurpose = "vapid";
    private Task<VapidKeys>? _keys;

    public Task<VapidKeys> GetOrCreateAsync(CancellationToken cancellationToken)
    {
        var loading = _keys ??= LoadAsync(cancellationToken);
        if (loading.IsFaulted || loading.IsCanceled)
        {
            _keys = null;
        }

        return loading;
    }

    private async Task<VapidKeys> LoadAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.VapidKey();
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return Open(existing.Value!);
        }

        var keys = VapidKeys.Generate();
        var sealedKey = protector.IsConfigured;
        try
        {
            await table.AddEntityAsync(
                new TableEntity(pk, rk)
                {
                    ["PublicKey"] = keys.PublicKey,
                    ["PrivateKey"] = sealedKey ? protector.Protect(SealPurpose, keys.PrivateKey) : keys.PrivateKey,
                    ["Sealed"] = sealedKey,
                },
                cancellationToken);
            return keys;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return Open((await table.GetEntityAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken)).Value);
        }
    }

    private VapidKeys Open(TableEntity row)
    {
        var stored = row.GetBinary("PrivateKey");
        var privateKey = row.GetBoolean("Sealed") == true
            ? protector.Unprotect(SealPurpose, stored)
                ?? throw new FediConfigurationException(["The VAPID key was sealed under another Fedi__TwoFactorKey: restore that key (Web Push cannot work without it)."])
            : stored;
        return new VapidKeys(row.GetBinary("PublicKey"), privateKey);
    }
}
