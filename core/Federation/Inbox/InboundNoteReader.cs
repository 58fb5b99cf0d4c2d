using System.Text.Json;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// The note of an inbound Create or Update, parsed (<see cref="RemoteNoteParser"/>) with its author, the activity's
/// actor (from the cache, or fetched: 1 read, or 1 GET + its cache writes).
/// </summary>
public sealed class InboundNoteReader(RemoteActorResolver actors, FediOptions options, TimeProvider time)
{
    /// <summary>The status the note describes, or the outcome that ends the activity (the author cannot be fetched now, or the note is refused).</summary>
    public async Task<(Status? Status, ActivityOutcome? Refusal)> ReadAsync(JsonElement note, string actorId, CancellationToken cancellationToken)
    {
        var author = await actors.GetActorAsync(actorId, refresh: false, cancellationToken);
        if (author is null)
        {
            return (null, new ActivityOutcome.RetryLater($"cannot fetch author {actorId}"));
        }

        var (status, error) = RemoteNoteParser.Parse(note, author, time.GetUtcNow(), options.AllowPrivateNetworks);
        return status is null ? (null, new ActivityOutcome.Ignored(error!)) : (status, null);
    }
}
