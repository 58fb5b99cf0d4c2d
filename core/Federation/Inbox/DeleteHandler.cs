using System.Text.Json;
using ServerlessFedi.Quotes;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Delete</c> of the actor's own note (the stored status becomes a tombstone) or of the actor itself (the inbox checked
/// that the signer is the actor): it is refused from now on and the removal of its follows and statuses is queued.
/// A <c>Delete</c> of a <c>QuoteAuthorization</c> (by id, or embedded with that type) revokes the quote it approved
/// (<see cref="RemoteQuoteRevocation"/>); an id that names no authorization here is tried as a note's.
/// </summary>
public sealed class DeleteHandler(RemoteStatusIngest ingest, AccountDeletion deletion, RemoteQuoteRevocation quotes) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ObjectId != activity.ActorId)
        {
            var type = activity.ObjectElement.ValueKind == JsonValueKind.Object ? ActorDocumentParser.TypeOf(activity.ObjectElement) : null;
            if (type is null or "QuoteAuthorization" && await quotes.RevokeAsync(activity.ObjectId, activity.ActorId, cancellationToken))
            {
                return ActivityOutcome.Done;
            }

            if (type == "QuoteAuthorization")
            {
                return new ActivityOutcome.Ignored("it deletes no authorization of a quote stored here, or another actor's");
            }

            // Nothing stored is the usual case: most deletes concern posts we never had.
            return await ingest.DeleteAsync(activity.ObjectId, activity.ActorId, cancellationToken)
                ? ActivityOutcome.Done
                : new ActivityOutcome.Ignored("it deletes another actor's note");
        }

        await deletion.DeleteRemoteAsync(activity.ActorId, cancellationToken);
        return ActivityOutcome.Done;
    }
}
