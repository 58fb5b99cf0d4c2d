using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// <c>Idempotency-Key</c> rows of status posts in the <c>statuses</c> table (<see cref="StorageKeys.StatusIdempotencyKey"/>):
/// one per account and key, inserted to claim the key, merged with the status it produced, replaced when expired.
/// Every write is conditional, so of two requests racing for a key exactly one holds it. Storage: 1 transaction per call.
/// </summary>
public sealed class IdempotencyStore(FediTables tables)
{
    private const string StatusIdColumn = "StatusId";
    private const string ClaimedAtColumn = "ClaimedAt";
    private const string CompletedAtColumn = "CompletedAt";

    /// <summary>Inserts the claim; null when the key is already held (by a finished, running, expired or abandoned request).</summary>
    public async Task<IdempotencyClaim?> TryClaimAsync(string accountId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(accountId, key);
        try
        {
            var added = await table.AddEntityAsync(new TableEntity(pk, rk) { [ClaimedAtColumn] = now }, cancellationToken);
            return new IdempotencyClaim(accountId, key, added.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>The key's holder, or null when the row is gone (released between the failed claim and this read).</summary>
    public async Task<IdempotencyRow?> GetAsync(string accountId, string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(accountId, key);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return existing.HasValue
            ? new IdempotencyRow(accountId, key, existing.Value!.ETag, existing.Value.GetDateTimeOffset(ClaimedAtColumn), existing.Value.GetString(StatusIdColumn), existing.Value.GetDateTimeOffset(CompletedAtColumn))
            : null;
    }

    /// <summary>Replaces an expired or abandoned holder with a new claim, unless it changed since it was read (then null).</summary>
    public async Task<IdempotencyClaim?> TakeOverAsync(IdempotencyRow held, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(held.AccountId, held.Key);
        try
        {
            var replaced = await table.UpdateEntityAsync(new TableEntity(pk, rk) { [ClaimedAtColumn] = now }, held.ETag, TableUpdateMode.Replace, cancellationToken);
            return new IdempotencyClaim(held.AccountId, held.Key, replaced.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Records the status the claim produced; false when the claim was taken over meanwhile (the newer one stands).</summary>
    public async Task<bool> CompleteAsync(IdempotencyClaim claim, string statusId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(claim.AccountId, claim.Key);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { [StatusIdColumn] = statusId, [CompletedAtColumn] = now }, claim.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>Deletes the claim so the key can be used again; false when it was taken over meanwhile.</summary>
    public async Task<bool> ReleaseAsync(IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(claim.AccountId, claim.Key);
        try
        {
            await table.DeleteEntityAsync(pk, rk, claim.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }
}
