using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/v1/statuses</c> (docs: methods/statuses#create): the same key from the same
/// account within an hour answers the status the first request created instead of posting again. The key is claimed
/// by inserting its row before posting, so of two concurrent requests only one posts; the other waits for the first to
/// finish and answers its status. A claim whose post failed is released (the client may retry with the same key); a
/// claim left behind by a crashed request is taken over after <see cref="AbandonedAfter"/>. Expired rows are replaced
/// on the key's next use (nothing sweeps them). Storage with a key: 1 insert + 1 merge; a duplicate: 1 failed insert +
/// 1 read + the status read; without a key: nothing.
/// </summary>
public sealed class StatusIdempotency(FediTables tables, StatusStore statuses, MastodonMapper mapper, TimeProvider time)
{
    /// <summary>How long a key answers with its first status (Mastodon: one hour).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>A claim without a status after this long belongs to a request that died.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>How long a duplicate waits for a concurrent first request before answering 503 (clients retry).</summary>
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private const string StatusIdColumn = "StatusId";
    private const string ClaimedAtColumn = "ClaimedAt";
    private const string CompletedAtColumn = "CompletedAt";

    /// <summary>
    /// Claims the request's key. Returns the answer to send instead of posting (the first status, or an error), or null
    /// with the claim to pass to <see cref="EndAsync"/> after posting. No header: null and an empty claim.
    /// </summary>
    public async Task<(IdempotencyClaim Claim, WireResult? Answer)> BeginAsync(HttpRequest request, LocalAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(account);
        var key = request.Headers["Idempotency-Key"].ToString().Trim();
        if (key.Length == 0)
        {
            return (IdempotencyClaim.None, null);
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.StatusIdempotencyKey(account.Id, key);
        var deadline = time.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = new TableEntity(pk, rk) { [ClaimedAtColumn] = now };
            try
            {
                var added = await table.AddEntityAsync(claim, cancellationToken);
                return (new IdempotencyClaim(pk, rk, added.Headers.ETag ?? ETag.All), null);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                // Someone holds the key: the first request, finished or still running, or an expired or abandoned claim.
            }

            var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                continue;
            }

            var row = existing.Value!;
            var statusId = row.GetString(StatusIdColumn);
            var expired = statusId is not null
                ? now - (row.GetDateTimeOffset(CompletedAtColumn) ?? DateTimeOffset.MinValue) >= Lifetime
                : now - (row.GetDateTimeOffset(ClaimedAtColumn) ?? DateTimeOffset.MinValue) >= AbandonedAfter;
            if (expired)
            {
                try
                {
                    var replaced = await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    return (new IdempotencyClaim(pk, rk, replaced.Headers.ETag ?? ETag.All), null);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
                {
                    continue;
                }
            }

            if (statusId is not null)
            {
                return (IdempotencyClaim.None, await FirstStatusAsync(statusId, account, cancellationToken));
            }

            if (time.GetUtcNow() >= deadline)
            {
                return (IdempotencyClaim.None, WireResult.Error(StatusCodes.Status503ServiceUnavailable, "A request with the same Idempotency-Key is still being processed, please try again"));
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Records the posted status under the claimed key, or releases the key when nothing was posted.</summary>
    public async Task EndAsync(IdempotencyClaim claim, string? statusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Pk is null)
        {
            return;
        }

        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        try
        {
            if (statusId is null)
            {
                await table.DeleteEntityAsync(claim.Pk, claim.Rk!, claim.ETag, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(
                    new TableEntity(claim.Pk, claim.Rk!) { [StatusIdColumn] = statusId, [CompletedAtColumn] = time.GetUtcNow() },
                    claim.ETag, TableUpdateMode.Merge, cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // Our claim was taken over as abandoned: the request outlived AbandonedAfter; the newer claim stands.
        }
    }

    private async Task<WireResult> FirstStatusAsync(string statusId, LocalAccount account, CancellationToken cancellationToken)
    {
        var status = await statuses.GetAsync(statusId, cancellationToken);
        return status is null || status.DeletedAt is not null || status.AccountId != account.Id
            ? WireResult.Error(StatusCodes.Status404NotFound, "Record not found")
            : WireResult.Json(StatusCodes.Status200OK, mapper.ToStatus(status, account));
    }
}
