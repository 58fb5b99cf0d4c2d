using ServerlessFedi.Accounts;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Move</c> of the actor to a new account that names it in <c>alsoKnownAs</c> (else anyone could redirect an account's
/// followers): local accounts following the old actor follow the new one and unfollow the old.
/// </summary>
public sealed class MoveHandler(RemoteActorResolver actors, FollowingStore following, AccountStore accounts, RelationshipService relationships) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var actorId = activity.ActorId;
        var target = ActorDocumentParser.String(activity.Activity, "target");
        if (activity.ObjectId != actorId || target is null || target == actorId)
        {
            return new ActivityOutcome.Ignored("it moves another actor or names no target");
        }

        var newActor = await actors.GetActorAsync(target, refresh: true, cancellationToken);
        if (newActor is null || !newActor.AlsoKnownAs.Contains(actorId, StringComparer.Ordinal))
        {
            return new ActivityOutcome.Ignored("the target does not name the moving account in alsoKnownAs");
        }

        var oldActor = await actors.GetActorAsync(actorId, refresh: true, cancellationToken);
        foreach (var accountId in await following.GetLocalFollowersOfAsync(actorId, cancellationToken))
        {
            if (await accounts.GetByIdAsync(accountId, cancellationToken) is not { } account)
            {
                continue;
            }

            await relationships.FollowAsync(account, AccountDirectory.Of(newActor), cancellationToken);
            if (oldActor is not null)
            {
                await relationships.UnfollowAsync(account, AccountDirectory.Of(oldActor), cancellationToken);
            }
            else
            {
                await following.RemoveAsync(accountId, actorId, cancellationToken);
            }
        }

        return ActivityOutcome.Done;
    }
}
