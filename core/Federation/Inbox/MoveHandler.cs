using ServerlessFedi.Migration;
using ServerlessFedi.Moderation;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Move</c> of the actor to another account (Mastodon's account migration; FEP-7628): accepted only when the actor
/// moves itself (<c>object</c> is the actor) and the target, fetched afresh (a local target: its stored aliases), names the
/// actor in <c>alsoKnownAs</c>, else anyone could redirect an account's followers. Then the actor is marked
/// <c>movedTo</c> and its local followers are moved on the accounts queue (<see cref="FollowerMigration"/>). An actor's
/// Move is applied at most once per <see cref="MoveStore.Cooldown"/> (Move loops); a refused Move changes nothing.
/// Storage: the claim (<see cref="MoveStore"/>) + the target's refresh (or 1-2 point reads when local) + 1 merge +
/// 1 queue send + 1 merge.
/// </summary>
public sealed class MoveHandler(
    RemoteActorResolver actors,
    AccountDirectory directory,
    RemoteActorStore actorCache,
    MoveStore moves,
    WorkQueue queue,
    ModerationPolicy moderation,
    TimeProvider time) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var actorId = activity.ActorId;
        var target = ActorDocumentParser.String(activity.Activity, "target");
        if (activity.ObjectId != actorId || target is null || target == actorId || !RemoteValues.IsStorableActorId(target))
        {
            return new ActivityOutcome.Ignored("it moves another actor or names no target");
        }

        if (await moves.ClaimAsync(actorId, target, time.GetUtcNow(), cancellationToken) == MoveClaim.CoolingDown)
        {
            return new ActivityOutcome.Ignored("the actor moved within the cooldown");
        }

        if (await RefusalAsync(actorId, target, cancellationToken) is { } refusal)
        {
            await moves.ReleaseAsync(actorId, cancellationToken);
            return new ActivityOutcome.Ignored(refusal);
        }

        await actorCache.SetMovedToAsync(actorId, target, cancellationToken);
        await queue.SendMoveFollowersAsync(new MoveFollowersMessage(actorId, target), cancellationToken);
        await moves.MarkQueuedAsync(actorId, cancellationToken);
        return ActivityOutcome.Done;
    }

    /// <summary>Why the target does not take the actor's followers, or null when it does.</summary>
    private async Task<string?> RefusalAsync(string actorId, string target, CancellationToken cancellationToken)
    {
        if ((await moderation.CurrentAsync(cancellationToken)).Suspends(target))
        {
            return "the target is suspended";
        }

        if (directory.IsLocalActor(target))
        {
            var local = await directory.GetLocalByActorIdAsync(target, cancellationToken);
            return local is null ? "the target is no local account"
                : local.MovedTo is not null ? "the target moved away itself"
                : local.AlsoKnownAs.Contains(actorId, StringComparer.Ordinal) ? null
                : "the target does not name the moving account in alsoKnownAs";
        }

        var newActor = await actors.GetActorAsync(target, refresh: true, cancellationToken);
        return newActor is null ? "the target could not be fetched"
            : newActor.MovedTo is not null ? "the target moved away itself"
            : newActor.AlsoKnownAs.Contains(actorId, StringComparer.Ordinal) ? null
            : "the target does not name the moving account in alsoKnownAs";
    }
}
