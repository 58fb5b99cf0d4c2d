using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Federation;

/// <summary>The relationship of a local account to another (Mastodon's Relationship entity, without the API shape).</summary>
public sealed record Relationship(
    string Id,
    bool Following,
    bool Requested,
    bool FollowedBy,
    bool RequestedBy,
    bool Blocking,
    bool BlockedBy,
    bool Muting,
    bool DomainBlocking = false,
    bool ShowingReblogs = false,
    string Note = "");

/// <summary>
/// Follow, unfollow, block, mute and follow requests of local accounts, towards local and remote accounts.
/// Remote targets get the activity Mastodon sends (Follow, Undo(Follow), Accept/Reject, Block, Undo(Block)) through the
/// delivery queue; local targets change at once. Storage per operation: see docs/PERFORMANCE.md.
/// </summary>
public sealed class RelationshipService(
    FollowingStore following,
    FollowerStore followers,
    DomainBlockStore domainBlocks,
    Notifier notifier,
    ActivityBuilder builder,
    ActivityPublisher publisher,
    InstanceUrls urls,
    TimeProvider time)
{
    public const string Block = "block";
    public const string Mute = "mute";
    public const string BlockedBy = "blockedby";

    /// <summary>
    /// Follows the target: accepted at once for unlocked local accounts, requested otherwise (remote: until Accept).
    /// <paramref name="showReblogs"/> (Mastodon's <c>reblogs</c>) shows or hides the target's boosts in home; null keeps
    /// what an existing follow has (shown for a new one).
    /// </summary>
    public async Task FollowAsync(LocalAccount me, AccountRef target, bool? showReblogs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        await FollowAsync(me, target, cancellationToken);
        if (showReblogs is { } show)
        {
            await following.SetShowReblogsAsync(me.Id, target.ActorId, show, cancellationToken);
        }
    }

    /// <summary>Follows the target: accepted at once for unlocked local accounts, requested otherwise (remote: until Accept).</summary>
    public async Task FollowAsync(LocalAccount me, AccountRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        var myActor = urls.Actor(me.Username);
        var existing = await following.GetAsync(me.Id, target.ActorId, cancellationToken);
        if (existing is not null)
        {
            // Repeating a follow changes nothing (a remote request stays pending; Mastodon re-sends, we rely on delivery retries).
            return;
        }

        if (target.Local is { } local)
        {
            var followId = builder.Follow(me, target.ActorId, time.GetUtcNow())["id"]!.GetValue<string>();
            var asFollower = LocalFollower(me);
            if (local.Locked)
            {
                await following.AddAsync(me.Id, target.ActorId, target.ApiId, followId, accepted: false, cancellationToken);
                await followers.AddRequestAsync(local.Id, asFollower, followId, me.Id, cancellationToken);
                await notifier.NotifyAsync(local.Id, NotificationType.FollowRequest, new NotificationSender(myActor, me.Id), null, followId, cancellationToken);
                return;
            }

            await following.AddAsync(me.Id, target.ActorId, target.ApiId, followId, accepted: true, cancellationToken);
            // Notified before the follower is counted: a retry after a failure part way notifies (once) and counts.
            await followers.AddAsync(local.Id, asFollower, followId, me.Id, ct => notifier.NotifyAsync(local.Id, NotificationType.Follow, new NotificationSender(myActor, me.Id), null, followId, ct), cancellationToken);

            return;
        }

        var follow = builder.Follow(me, target.ActorId, time.GetUtcNow());
        // Record first, then send: an Accept that arrives before the row exists would find nothing to accept.
        await following.AddAsync(me.Id, target.ActorId, target.ApiId, follow["id"]!.GetValue<string>(), accepted: false, cancellationToken);
        await publisher.SendAsync(me, follow, target.DeliveryInbox!, cancellationToken);
    }

    public async Task UnfollowAsync(LocalAccount me, AccountRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        var removed = await following.RemoveAsync(me.Id, target.ActorId, cancellationToken);
        if (removed is null)
        {
            return;
        }

        if (target.Local is { } local)
        {
            var myActor = urls.Actor(me.Username);
            await followers.RemoveAsync(local.Id, myActor, cancellationToken);
            await followers.RemoveRequestAsync(local.Id, myActor, cancellationToken);
            return;
        }

        var follow = builder.Follow(me, target.ActorId, time.GetUtcNow());
        follow["id"] = removed.FollowActivityId;
        await publisher.SendAsync(me, builder.Undo(me, follow), target.DeliveryInbox!, cancellationToken);
    }

    /// <summary>Accepts a pending follow request from <paramref name="requester"/>; false when there was none.</summary>
    public async Task<bool> AuthorizeAsync(LocalAccount me, AccountRef requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(requester);
        var request = await followers.GetRequestAsync(me.Id, requester.ActorId, cancellationToken);
        if (request is null)
        {
            return false;
        }

        var followId = request.Value.FollowActivityId ?? $"{requester.ActorId}#follows/{me.Id}";
        var follower = requester.Remote ?? LocalFollower(requester.Local!);
        await followers.AddAsync(me.Id, follower, followId, requester.Local?.Id, ct => notifier.NotifyAsync(me.Id, NotificationType.Follow, new NotificationSender(requester.ActorId, requester.ApiId), null, followId, ct), cancellationToken);

        await followers.RemoveRequestAsync(me.Id, requester.ActorId, cancellationToken);
        if (requester.Local is { } local)
        {
            await following.AcceptAsync(local.Id, urls.Actor(me.Username), cancellationToken);
        }
        else
        {
            await publisher.SendAsync(me, builder.AcceptFollow(me, followId, requester.ActorId), requester.DeliveryInbox!, cancellationToken);
        }

        return true;
    }

    /// <summary>Declines a pending follow request; false when there was none.</summary>
    public async Task<bool> RejectAsync(LocalAccount me, AccountRef requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(requester);
        var request = await followers.GetRequestAsync(me.Id, requester.ActorId, cancellationToken);
        if (request is null)
        {
            return false;
        }

        await followers.RemoveRequestAsync(me.Id, requester.ActorId, cancellationToken);
        if (requester.Local is { } local)
        {
            await following.RemoveAsync(local.Id, urls.Actor(me.Username), cancellationToken);
        }
        else
        {
            var followId = request.Value.FollowActivityId ?? $"{requester.ActorId}#follows/{me.Id}";
            await publisher.SendAsync(me, builder.RejectFollow(me, followId, requester.ActorId), requester.DeliveryInbox!, cancellationToken);
        }

        return true;
    }

    /// <summary>Blocks: both follow directions end, and a remote target's server is told (Block).</summary>
    public async Task BlockAsync(LocalAccount me, AccountRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        await UnfollowAsync(me, target, cancellationToken);
        var myActor = urls.Actor(me.Username);
        if (await followers.RemoveAsync(me.Id, target.ActorId, cancellationToken) && target.Local is { } local)
        {
            await following.RemoveAsync(local.Id, myActor, cancellationToken);
        }

        await followers.RemoveRequestAsync(me.Id, target.ActorId, cancellationToken);
        await following.SetRelationAsync(Block, me.Id, target.ActorId, target.ApiId, on: true, cancellationToken);
        if (target.Local is { } blocked)
        {
            await following.RemoveAsync(blocked.Id, myActor, cancellationToken);
            await following.SetRelationAsync(BlockedBy, blocked.Id, myActor, me.Id, on: true, cancellationToken);
        }
        else
        {
            await publisher.SendAsync(me, builder.Block(me, target.ActorId), target.DeliveryInbox!, cancellationToken);
        }
    }

    public async Task UnblockAsync(LocalAccount me, AccountRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        if (!await following.HasRelationAsync(Block, me.Id, target.ActorId, cancellationToken))
        {
            return;
        }

        await following.SetRelationAsync(Block, me.Id, target.ActorId, target.ApiId, on: false, cancellationToken);
        if (target.Local is { } local)
        {
            await following.SetRelationAsync(BlockedBy, local.Id, urls.Actor(me.Username), me.Id, on: false, cancellationToken);
        }
        else
        {
            await publisher.SendAsync(me, builder.Undo(me, builder.Block(me, target.ActorId)), target.DeliveryInbox!, cancellationToken);
        }
    }

    public Task SetMuteAsync(LocalAccount me, AccountRef target, bool on, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        return following.SetRelationAsync(Mute, me.Id, target.ActorId, target.ApiId, on, cancellationToken);
    }

    /// <summary>Sets <paramref name="me"/>'s private note on <paramref name="target"/> ("" removes it; 1 write).</summary>
    public Task SetNoteAsync(LocalAccount me, AccountRef target, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        return following.SetNoteAsync(me.Id, target.ActorId, target.ApiId, comment, cancellationToken);
    }

    /// <summary>How many of the viewer's follows <see cref="FamiliarFollowersAsync"/> reads (one range query).</summary>
    public const int MaxFamiliarFollowsRead = 1000;

    /// <summary>
    /// For each target, the API ids of accounts <paramref name="me"/> follows (accepted) that follow it, as far as this
    /// server knows them (docs: methods/accounts#familiar_followers), at most <paramref name="limit"/> per target. A local
    /// target's followers are its follower rows (local and remote); a remote target's are the local accounts following it
    /// (its other followers are on its server). Storage: 1 range query of the viewer's first
    /// <see cref="MaxFamiliarFollowsRead"/> follows, then per target 1 range query (a local target's first
    /// <see cref="FollowerStore.PageSize"/> followers, or the reverse index of a remote one), in parallel.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> FamiliarFollowersAsync(LocalAccount me, IReadOnlyList<AccountRef> targets, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(targets);
        var (follows, _) = await following.ListAsync(me.Id, null, MaxFamiliarFollowsRead, cancellationToken);
        var byActor = follows.ToDictionary(f => f.TargetActorId, f => f.TargetAccountId, StringComparer.Ordinal);
        var accountIds = follows.Select(f => f.TargetAccountId).ToHashSet(StringComparer.Ordinal);
        return await Task.WhenAll(targets.Select(async target =>
        {
            IEnumerable<string> familiar = target.Local is { } local
                ? (await followers.GetPageAsync(local.Id, null, FollowerStore.PageSize, cancellationToken)).Followers
                    .Select(f => byActor.GetValueOrDefault(f.ActorId)).OfType<string>()
                : (await following.GetLocalFollowersOfAsync(target.ActorId, cancellationToken)).Where(accountIds.Contains);
            return (IReadOnlyList<string>)[.. familiar.Take(limit)];
        }));
    }

    /// <summary>The relationship of <paramref name="me"/> to <paramref name="target"/>: 7 point reads (8 for a remote target), in parallel.</summary>
    public async Task<Relationship> GetAsync(LocalAccount me, AccountRef target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(target);
        var follow = following.GetAsync(me.Id, target.ActorId, cancellationToken);
        var followedBy = followers.IsFollowerAsync(me.Id, target.ActorId, cancellationToken);
        var requestedBy = followers.GetRequestAsync(me.Id, target.ActorId, cancellationToken);
        var blocking = following.HasRelationAsync(Block, me.Id, target.ActorId, cancellationToken);
        var blockedBy = following.HasRelationAsync(BlockedBy, me.Id, target.ActorId, cancellationToken);
        var muting = following.HasRelationAsync(Mute, me.Id, target.ActorId, cancellationToken);
        var note = following.GetNoteAsync(me.Id, target.ActorId, cancellationToken);
        var domainBlocking = target.Remote is null ? Task.FromResult(false) : domainBlocks.IsBlockedAsync(me.Id, DomainBlockStore.HostOf(target.ActorId), cancellationToken);
        await Task.WhenAll(follow, followedBy, requestedBy, blocking, blockedBy, muting, note, domainBlocking);
        return new Relationship(
            target.ApiId,
            follow.Result?.State == FollowingStore.Accepted,
            follow.Result?.State == FollowingStore.Requested,
            followedBy.Result,
            requestedBy.Result is not null,
            blocking.Result,
            blockedBy.Result,
            muting.Result,
            domainBlocking.Result,
            follow.Result is { ShowReblogs: true },
            note.Result);
    }

    /// <summary>A local account in the shape the follower store keeps (its inbox is never delivered to).</summary>
    private RemoteActor LocalFollower(LocalAccount account) =>
        new(urls.Actor(account.Username), "Person", account.Username, account.DisplayName, urls.Inbox(account.Username), null, urls.Profile(account.Username), null, null, null, null, time.GetUtcNow());
}
