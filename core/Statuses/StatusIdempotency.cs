using ServerlessFedi.Errors;

namespace ServerlessFedi.Statuses;

/// <summary>
/// <c>Idempotency-Key</c> on posting a status (docs: methods/statuses#create): the same key from the same account within
/// an hour answers the status the first request created instead of posting again. The key is claimed by inserting its
/// row before posting, so of two concurrent requests only one posts; the other waits for the first to finish and answers
/// its status. A claim whose post failed is released (the client may retry with the same key); a claim left behind by a
/// crashed request is taken over after <see cref="AbandonedAfter"/>. Expired rows are replaced on the key's next use
/// (nothing sweeps them). Storage with a key: 1 insert + 1 merge; a duplicate: 1 failed insert + 1 read + the status
/// read; without a key: nothing.
/// </summary>
public sealed class StatusIdempotency(IdempotencyStore store, StatusStore statuses, TimeProvider time)
{
    /// <summary>How long a key answers with its first status (Mastodon: one hour).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>A claim without a status after this long belongs to a request that died.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>How long a duplicate waits for a concurrent first request before refusing as busy (clients retry).</summary>
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Claims <paramref name="key"/> for <paramref name="accountId"/>; an empty key claims nothing and posts.</summary>
    public async Task<IdempotencyOutcome> BeginAsync(string accountId, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return IdempotencyOutcome.Post(null);
        }

        var deadline = time.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var now = time.GetUtcNow();
            if (await store.TryClaimAsync(accountId, key, now, cancellationToken) is { } claimed)
            {
                return IdempotencyOutcome.Post(claimed);
            }

            // Someone holds the key: the first request, finished or still running, or an expired or abandoned claim.
            var held = await store.GetAsync(accountId, key, cancellationToken);
            if (held is null)
            {
                continue;
            }

            var expired = held.StatusId is not null
                ? now - (held.CompletedAt ?? DateTimeOffset.MinValue) >= Lifetime
                : now - (held.ClaimedAt ?? DateTimeOffset.MinValue) >= AbandonedAfter;
            if (expired)
            {
                if (await store.TakeOverAsync(held, now, cancellationToken) is { } taken)
                {
                    return IdempotencyOutcome.Post(taken);
                }

                continue;
            }

            if (held.StatusId is not null)
            {
                var status = await statuses.GetAsync(held.StatusId, cancellationToken);
                return status is null || status.DeletedAt is not null || status.AccountId != accountId
                    ? new IdempotencyOutcome(null, null, ServiceError.NotFound, "Record not found")
                    : new IdempotencyOutcome(null, status, null, null);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new IdempotencyOutcome(null, null, ServiceError.Busy, "A request with the same Idempotency-Key is still being processed, please try again");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Records the posted status under the claim, or releases the key when nothing was posted; a claim taken over meanwhile leaves the newer one standing.</summary>
    public async Task EndAsync(IdempotencyClaim? claim, string? statusId, CancellationToken cancellationToken)
    {
        if (claim is null)
        {
            return;
        }

        if (statusId is null)
        {
            await store.ReleaseAsync(claim, cancellationToken);
        }
        else
        {
            await store.CompleteAsync(claim, statusId, time.GetUtcNow(), cancellationToken);
        }
    }
}
