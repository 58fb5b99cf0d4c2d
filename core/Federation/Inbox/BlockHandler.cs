namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Block</c> of a local account: both follow directions end (as Mastodon applies it) and the block is recorded as
/// <c>blocked_by</c>; the blocked account is told nothing else.
/// </summary>
public sealed class BlockHandler(AccountDirectory directory, FollowerStore followers, FollowingStore following) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (await directory.GetLocalByActorIdAsync(activity.ObjectId, cancellationToken) is not { } account)
        {
            return new ActivityOutcome.Ignored("its object is not a local account");
        }

        var actorId = activity.ActorId;
        await followers.RemoveAsync(account.Id, actorId, cancellationToken);
        await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
        await following.RemoveAsync(account.Id, actorId, cancellationToken);
        await following.SetRelationAsync(RelationshipService.BlockedBy, account.Id, actorId, RemoteAccountIds.For(actorId), on: true, cancellationToken);
        return ActivityOutcome.Done;
    }
}
