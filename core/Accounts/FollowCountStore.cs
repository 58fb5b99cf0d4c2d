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
/// the account row, after a jittered pause); a repeat costs the same and changes nothing. Given the account as the
/// caller just read it, the transaction is tried at once at its ETag: 1 transaction (+1 read and 1 transaction when the
/// row changed since), and the process's copy of the account is the counted row (the next inbound activity for the
/// account on this instance finds it, <see cref="AccountStore.GetByUsernameRecentAsync"/>).
/// </summary>
public sealed class FollowCountStore(FediTables tables, AccountStore accounts)
{
    /// <summary>Counts <paramref name="followerActorId"/> among the account's followers; false when it already was (or the account is gone).</summary>
    public Task<bool> AddFollowerAsync(string accountId, string followerActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowersCount), StorageKeys.FollowCounted(accountId, "followers", followerActorId), +1, cancellationToken);

    /// <summary>As <see cref="AddFollowerAsync(string, string, CancellationToken)"/>, counting on <paramref name="account"/> as read (its ETag and count).</summary>
    public Task<bool> AddFollowerAsync(LocalAccount account, string followerActorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return ApplyAsync(account.Id, nameof(AccountEntity.FollowersCount), StorageKeys.FollowCounted(account.Id, "followers", followerActorId), +1, cancellationToken, account.ETag is null ? null : account);
    }

    /// <summary>Whether <paramref name="followerActorId"/> is counted among the account's followers (its marker row): 1 point read.</summary>
    public async Task<bool> IsFollowerCountedAsync(string accountId, string followerActorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.FollowCounted(accountId, "followers", followerActorId);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
    }

    /// <summary>Takes <paramref name="followerActorId"/> out of the followers count; false when it was not counted.</summary>
    public Task<bool> RemoveFollowerAsync(string accountId, string followerActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowersCount), StorageKeys.FollowCounted(accountId, "followers", followerActorId), -1, cancellationToken);

    /// <summary>Counts <paramref name="targetActorId"/> among the accounts it follows; false when it already was (or the account is gone).</summary>
    public Task<bool> AddFollowingAsync(string accountId, string targetActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowingCount), StorageKeys.FollowCounted(accountId, "following", targetActorId), +1, cancellationToken);

    /// <summary>Takes <paramref name="targetActorId"/> out of the following count; false when it was not counted.</summary>
    public Task<bool> RemoveFollowingAsync(string accountId, string targetActorId, CancellationToken cancellationToken) =>
        ApplyAsync(accountId, nameof(AccountEntity.FollowingCount), StorageKeys.FollowCounted(accountId, "following", targetActorId), -1, cancellationToken);

    /// <summary>
    /// <paramref name="read"/> (followers only): the account as the caller read it; the first attempt counts at its ETag,
    /// and when that commits the process's copy of the account becomes that row with the new count (what storage now holds).
    /// </summary>
    private async Task<bool> ApplyAsync(string accountId, string counter, (string Pk, string Rk) marker, int delta, CancellationToken cancellationToken, LocalAccount? read = null)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(accountId);
        for (var attempt = 0; ; attempt++)
        {
            var known = attempt == 0 && read?.ETag is { } etag ? (etag, read.FollowersCount) : ((ETag ETag, long Count)?)null;
            if (known is null)
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: [counter], cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    return false;
                }

                known = (row.Value!.ETag, row.Value.GetInt64(counter) ?? 0);
            }

            var mark = new TableEntity(marker.Pk, marker.Rk);
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.UpdateMerge, new TableEntity(pk, rk) { [counter] = Math.Max(0, known.Value.Count + delta) }, known.Value.ETag),
                delta > 0 ? new(TableTransactionActionType.Add, mark) : new(TableTransactionActionType.Delete, mark, ETag.All),
            ];
            try
            {
                var done = await table.SubmitTransactionAsync(actions, cancellationToken);
                if (attempt == 0 && read is not null && done.Value.Count > 0 && done.Value[0].Headers.ETag is { } stored)
                {
                    accounts.Remember(read with { FollowersCount = Math.Max(0, known.Value.Count + delta), ETag = stored });
                }
                else
                {
                    accounts.Forget(accountId);
                }

                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex == 1 && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
            {
                return false; // the marker says it is already counted (Conflict) or not counted (NotFound)
            }
            catch (TableTransactionFailedException ex) when (attempt == 0 && read is not null && ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // The row changed (or went) since the caller read it: read it now, without a pause (no contention seen yet).
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
