using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Announce</c> (a boost): of a local status, counted and its author notified (as a <see cref="LikeHandler"/> Like);
/// by an actor local accounts follow, stored as a boost for their homes (<see cref="AnnounceProcessor"/>).
/// </summary>
public sealed class AnnounceHandler(StatusInteractions interactions, RemoteActorResolver actors, AnnounceProcessor announces) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var local = await LikeHandler.ReceiveAsync(interactions, actors, InteractionKind.Reblog, activity, cancellationToken);
        var boost = await announces.ApplyAsync(activity, cancellationToken);
        // Either part may apply: a retry wins, then an applied part, then the boost's reason for ignoring it.
        return boost is ActivityOutcome.RetryLater || local is not ActivityOutcome.Applied ? boost : local;
    }
}
