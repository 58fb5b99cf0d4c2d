namespace ServerlessFedi.Statuses;

/// <summary>
/// Boosts by remote actors that local accounts follow, stored as content-less statuses whose <see cref="Status.ReblogOfId"/>
/// is the boosted one and whose URI is the Announce's id (Mastodon: a status whose <c>reblog</c> is the boosted one).
/// A boost of a remote status counts in its reblogs (a local one is counted by <see cref="StatusInteractions"/>).
/// Storage: store 3 upserts + 2 per count (remote original) + the homes (<see cref="StatusSurface.PlaceBoostAsync"/>);
/// undo 2 point reads + 1 merge + 1 delete (+ the count) + 1 range query (followers) + their homes.
/// </summary>
public sealed class RemoteBoosts(StatusStore statuses, Federation.FollowingStore following, StatusSurface surface, TimeProvider time)
{
    /// <summary>Stores <paramref name="boost"/> of <paramref name="original"/> (under the id the store gives it) and places it in the homes of <paramref name="localFollowers"/>.</summary>
    public async Task StoreAsync(Status boost, Status original, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boost);
        ArgumentNullException.ThrowIfNull(original);
        boost = await statuses.AddRemoteAsync(boost, cancellationToken);
        if (!original.IsLocal)
        {
            await statuses.AdjustCountsAsync(original.Id, reblogs: +1, cancellationToken: cancellationToken);
        }

        await surface.PlaceBoostAsync(boost, original, localFollowers, cancellationToken);
    }

    /// <summary>Undo(Announce): the boost leaves the followers' homes and lists and is marked deleted; false when none of that actor was stored.</summary>
    public async Task<bool> UndoAsync(string? announceId, string boosterActorId, CancellationToken cancellationToken)
    {
        var id = announceId is null ? null : await statuses.GetIdByUriAsync(announceId, cancellationToken);
        var boost = id is null ? null : await statuses.GetAsync(id, cancellationToken);
        if (boost is null || boost.DeletedAt is not null || boost.ReblogOfId is null || boost.AccountId != Federation.RemoteAccountIds.For(boosterActorId))
        {
            return false;
        }

        await statuses.MarkDeletedAsync(boost, time.GetUtcNow(), cancellationToken);
        if (await statuses.GetAsync(boost.ReblogOfId, cancellationToken) is { IsLocal: false } original)
        {
            await statuses.AdjustCountsAsync(original.Id, reblogs: -1, cancellationToken: cancellationToken);
        }

        await surface.RemoveBoostAsync(boost, await following.GetLocalFollowersOfAsync(boosterActorId, cancellationToken), cancellationToken);
        return true;
    }
}
