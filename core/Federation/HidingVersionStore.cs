using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// A version of each local account's blocks, mutes and domain blocks, replaced by a new random value after every change
/// of them, so that the notification rule reads this one row afresh and answers from lists it read under the same
/// version (<see cref="AccountHiding.StandingAsync"/>) instead of three rows. Exact across instances: a writer changes
/// its list row first and the version after; a reader reads the version first and the lists after, so lists kept under
/// a version hold every change made before it. An account without a version (all rows from before it existed) gets one
/// on its first read; its lists are then read under it, so no backfill is needed.
/// Storage (<c>following</c> table): change 1 upsert; current 1 point read (+ 1 insert the first time for an account).
/// </summary>
public sealed class HidingVersionStore(FediTables tables)
{
    /// <summary>Marks the account's blocks, mutes or domain blocks as changed; call after the change is stored.</summary>
    public async Task ChangedAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.HidingVersion(accountId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["Version"] = Guid.NewGuid().ToString("N") }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The account's current version, created when it has none (an insert, so a change made meanwhile wins).</summary>
    public async Task<string> CurrentAsync(string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (pk, rk) = StorageKeys.HidingVersion(accountId);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["Version"], cancellationToken: cancellationToken);
            if (row.HasValue && row.Value!.GetString("Version") is { } version)
            {
                return version;
            }

            var created = Guid.NewGuid().ToString("N");
            try
            {
                await table.AddEntityAsync(new TableEntity(pk, rk) { ["Version"] = created }, cancellationToken);
                return created;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                // Created meanwhile (by a change or another reader): read it.
            }
        }
    }
}
