using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Delete</c> of the actor's own note (the stored status becomes a tombstone) or of the actor itself (the inbox checked
/// that the signer is the actor): it is refused from now on and the removal of its follows and statuses is queued.
/// </summary>
public sealed class DeleteHandler(RemoteStatusIngest ingest, AccountDeletion deletion) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ObjectId != activity.ActorId)
        {
            // Nothing stored is the usual case: most deletes concern posts we never had.
            return await ingest.DeleteAsync(activity.ObjectId, activity.ActorId, cancellationToken)
                ? ActivityOutcome.Done
                : new ActivityOutcome.Ignored("it deletes another actor's note");
        }

        await deletion.DeleteRemoteAsync(activity.ActorId, cancellationToken);
        return ActivityOutcome.Done;
    }
}
