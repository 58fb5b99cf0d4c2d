using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Counts each follower and each followed actor of a local account exactly once in the account row's
/// <c>FollowersCount</c> and <c>FollowingCount</c>: the counter and a marker row for the other actor
/// (<see cref="StorageKeys.FollowCounted"/>, in the account row's partition) change in one entity group transaction, so
/// a retry after a crash between counting and the follow's own rows finds the marker and counts nothing again (issue
/// 17: before, that window counted twice or never). Storage: 1 read + 1 entity group transaction (+2 per lost race on
/// the account row, after a jittered pause); a repeat costs the same and changes nothing.
/// </summary>
public sealed class FollowCountStore(FediTables tables, AccountStore accounts)
{
    /// <summary>Counts <paramref name="followerActorId"/> among the account's followers; false when it already was (or the account is gone).</summary>
    public Task<bool> AddFollowerAsync(string accountId, string followerActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowersCount), StorageKeys.FollowCounted(accountId, "followers", followerActorId), +1, cancellationToken);

    /// <summary>Takes <paramref name="followerActorId"/> out of the followers count; false when it was not counted.</summary>
    public Task<bool> RemoveFollowerAsync(string accountId, string followerActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowersCount), StorageKeys.FollowCounted(accountId, "followers", followerActorId), -1, cancellationToken);

    /// <summary>Counts <paramref name="targetActorId"/> among the accounts it follows; false when it already was (or the account is gone).</summary>
    public Task<bool> AddFollowingAsync(string accountId, string targetActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowingCount), StorageKeys.FollowCounted(accountId, "following", targetActorId), +1, cancellationToken);

    /// <summary>Takes <paramref name="targetActorId"/> out of the following count; false when it was not counted.</summary>
    public Task<bool> RemoveFollowingAsync(string accountId, string targetActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowingCount), StorageKeys.FollowCounted(accountId, "following", targetActorId), -1, cancellationToken);

    private async Task<bool> ApplyAsync(string accountId, string counter, (string Pk, string Rk) marker, int delta, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(accountId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: [counter], cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return false;
            }

            var count = row.Value!.GetInt64(counter) ?? 0;
            var mark = new TableEntity(marker.Pk, marker.Rk);
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.UpdateMerge, new TableEntity(pk, rk) { [counter] = Math.Max(0, count + delta) }, row.Value.ETag),
                delta > 0 ? new(TableTransactionActionType.Add, mark) : new(TableTransactionActionType.Delete, mark, ETag.All),
            ];
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                accounts.Forget(accountId);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex == 1 && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
            {
                return false; // the marker says it is already counted (Conflict) or not counted (NotFound)
            }
            catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                // Another writer changed the account row first: read again after a jittered pause that grows with the
                // attempts (wall-clock pacing of contention, not product time).
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 << Math.Min(attempt, 6))), cancellationToken);
            }
        }
    }
}
