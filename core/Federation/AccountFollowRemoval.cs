using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The follows of a deleted account, both ways, a page per step of <see cref="AccountDeletion"/>: remote followers and
/// followed accounts get the account's <c>Delete</c> (<see cref="DeletionDeliveries"/>), local ones lose the relation on
/// their side too. Storage: per follow 2-4 deletes (+ counters), per remote target 1 read; the deliveries' cost.
/// </summary>
public sealed class AccountFollowRemoval(FollowerStore followers, FollowingStore following, RemoteActorStore remoteActors, DeletionDeliveries deliveries, InstanceUrls urls)
{
    /// <summary>A remote actor that deleted itself: its follows of local accounts (their follower counts drop) and local accounts' follows of it, requests included.</summary>
    public async Task RemoveRemoteFollowsAsync(string actorId, CancellationToken cancellationToken)
    {
        foreach (var accountId in await followers.GetFollowedAccountIdsAsync(actorId, cancellationToken))
        {
            await followers.RemoveAsync(accountId, actorId, cancellationToken);
        }

        foreach (var accountId in await following.GetLocalFollowersOfAnyStateAsync(actorId, cancellationToken))
        {
            await following.RemoveAsync(accountId, actorId, cancellationToken);
            await followers.RemoveRequestAsync(accountId, actorId, cancellationToken);
        }
    }

    /// <summary>
    /// Followers (and pending requests): the Delete goes to each remote follower's inbox, then the rows go; a local follower's
    /// follow is removed on its side too. True when a full page was handled.
    /// </summary>
    public async Task<bool> RemoveFollowersAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        var page = await followers.GetPageAsync(account.Id, null, AccountDeletion.FollowsPerStep, cancellationToken);
        await deliveries.DeliverDeleteAsync(account, page.Followers.Where(f => f.LocalAccountId is null).Select(f => f.DeliveryInbox), cancellationToken);
        foreach (var follower in page.Followers)
        {
            if (follower.LocalAccountId is { } localId)
            {
                await following.RemoveAsync(localId, actor, cancellationToken);
            }

            await followers.RemoveAsync(account.Id, follower.ActorId, cancellationToken);
        }

        if (page.Followers.Count >= AccountDeletion.FollowsPerStep)
        {
            return true;
        }

        var requests = await followers.ListRequestsAsync(account.Id, AccountDeletion.FollowsPerStep, cancellationToken);
        foreach (var (actorId, _, localId) in requests)
        {
            if (localId is not null)
            {
                await following.RemoveAsync(localId, actor, cancellationToken);
            }

            await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
        }

        return requests.Count >= AccountDeletion.FollowsPerStep;
    }

    /// <summary>The account's follows: the Delete goes to each remote target's inbox; a local target loses the follower. True when a full page was handled.</summary>
    public async Task<bool> RemoveFollowingAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        var page = await following.ListAnyStateAsync(account.Id, AccountDeletion.FollowsPerStep, cancellationToken);
        var inboxes = new List<string>();
        foreach (var f in page.Where(f => !SnowflakeIds.IsValid(f.TargetAccountId)))
        {
            if (await remoteActors.GetAsync(f.TargetActorId, cancellationToken) is { } target)
            {
                inboxes.Add(target.DeliveryInbox);
            }
        }

        await deliveries.DeliverDeleteAsync(account, inboxes, cancellationToken);
        foreach (var f in page)
        {
            if (SnowflakeIds.IsValid(f.TargetAccountId))
            {
                await followers.RemoveAsync(f.TargetAccountId, actor, cancellationToken);
                await followers.RemoveRequestAsync(f.TargetAccountId, actor, cancellationToken);
            }

            await following.RemoveAsync(account.Id, f.TargetActorId, cancellationToken);
        }

        return page.Count >= AccountDeletion.FollowsPerStep;
    }

    /// <summary>
    /// The account's blocks, mutes, notes and "blocked by" rows (Mastodon removes an account's relations with it); a
    /// local account it blocked loses its "blocked by" row too. Storage: 1 range query per kind and 1 delete per row
    /// (+ 1 delete per blocked local account).
    /// </summary>
    public async Task RemoveRelationsAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = urls.Actor(account.Username);
        foreach (var kind in new[] { RelationshipService.Block, RelationshipService.Mute, RelationshipService.BlockedBy, FollowingStore.NoteKind })
        {
            var rows = new List<(string ActorId, string AccountId)>();
            await foreach (var row in following.EnumerateRelationAsync(kind, account.Id, cancellationToken))
            {
                rows.Add(row);
            }

            foreach (var (targetActorId, targetAccountId) in rows)
            {
                await following.SetRelationAsync(kind, account.Id, targetActorId, targetAccountId, on: false, cancellationToken);
                if (kind == RelationshipService.Block && urls.UsernameOfActor(targetActorId) is not null)
                {
                    await following.SetRelationAsync(RelationshipService.BlockedBy, targetAccountId, actor, account.Id, on: false, cancellationToken);
                }
            }
        }
    }
}
