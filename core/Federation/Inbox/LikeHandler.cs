using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary><c>Like</c> of a local status by an actor allowed to see it: a favourite, counted once, its author notified.</summary>
public sealed class LikeHandler(StatusInteractions interactions, RemoteActorResolver actors) : IActivityHandler
{
    public Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken) =>
        ReceiveAsync(interactions, actors, InteractionKind.Favourite, activity, cancellationToken);

    /// <summary>A Like or Announce of a local status (<see cref="StatusInteractions.ReceivableAsync"/>, then <see cref="StatusInteractions.ReceiveAsync"/>).</summary>
    internal static async Task<ActivityOutcome> ReceiveAsync(StatusInteractions interactions, RemoteActorResolver actors, InteractionKind kind, InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (status, refusal) = await interactions.ReceivableAsync(kind, activity.ObjectId, activity.ActorId, cancellationToken);
        if (status is null)
        {
            return new ActivityOutcome.Ignored(refusal!);
        }

        // The actor first (the API shows who it was): a failure here retries the whole message before anything changed.
        await actors.GetActorAsync(activity.ActorId, refresh: false, cancellationToken);
        var type = kind == InteractionKind.Favourite ? "Like" : "Announce";
        await interactions.ReceiveAsync(kind, status, activity.ActorId, activity.Id ?? $"{activity.ActorId}#{type}/{status.Id}", cancellationToken);
        return ActivityOutcome.Done;
    }
}
