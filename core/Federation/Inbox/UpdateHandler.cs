using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Update</c> of the actor itself (its document is fetched again rather than the embedded copy trusted: the
/// signature covers the activity, the fetch proves the origin) or of one of its notes we store (content, spoiler,
/// sensitivity, language, tags, media and emoji are replaced; <c>edited_at</c> is set).
/// </summary>
public sealed class UpdateHandler(RemoteActorResolver actors, InboundNoteReader notes, RemoteStatusIngest ingest, QuoteVerifier quotes) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ObjectId == activity.ActorId)
        {
            await actors.GetActorAsync(activity.ActorId, refresh: true, cancellationToken);
            return ActivityOutcome.Done;
        }

        var note = activity.ObjectElement;
        if (!RemoteNoteParser.IsNote(note))
        {
            return new ActivityOutcome.Ignored("only updates of the actor and of notes are applied");
        }

        var (edited, refusal) = await notes.ReadAsync(note, activity.ActorId, cancellationToken);
        if (edited is null)
        {
            return refusal!;
        }

        // FEP-044f: the Update after an Accept adds quoteAuthorization; it is verified as a Create's is.
        edited = edited with { Quote = await quotes.VerifyAsync(edited, activity.ActorId, cancellationToken) };
        return await ingest.UpdateAsync(edited, cancellationToken, RemotePollParser.Parse(note)?.Tally) ? ActivityOutcome.Done : new ActivityOutcome.Ignored("the note is not stored here, is another actor's, or was edited later than this");
    }
}
