using System.Text.Json;
using ServerlessFedi.Configuration;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// A remote vote on a local poll (Mastodon's ActivityPub::Activity::Create#poll_vote?): a Note by the activity's actor
/// whose <c>name</c> is one of the options of the local Question it answers (<c>inReplyTo</c>), not addressed to the
/// public. It is counted once per actor (per option in a multiple-choice poll) by <see cref="PollVoting"/>, never
/// stored as a reply. Storage: 1 point read (the status) + the actor (cache) + the vote's cost.
/// </summary>
public sealed class PollVoteReader(StatusStore statuses, InstanceUrls urls, PollVoting voting, RemoteActorResolver actors)
{
    /// <summary>The outcome when <paramref name="note"/> is a vote on a local poll; null when it is not one (then it is a note like any other).</summary>
    public async Task<ActivityOutcome?> TryCountAsync(JsonElement note, string actorId, CancellationToken cancellationToken)
    {
        if (ActorDocumentParser.String(note, "name") is not { } name || urls.StatusIdOf(ActorDocumentParser.String(note, "inReplyTo")) is not { } statusId
            || RemoteNoteParser.IsPublic(RemoteNoteParser.Audience(note, "to")) || RemoteNoteParser.IsPublic(RemoteNoteParser.Audience(note, "cc")))
        {
            return null;
        }

        if (await statuses.GetAsync(statusId, cancellationToken) is not { IsLocal: true, Poll: { } poll } status)
        {
            return null;
        }

        if (!poll.Options.Contains(name))
        {
            // A named, non-public answer to a poll is a vote (Mastodon stores it as a reply instead): none for no option.
            return new ActivityOutcome.Ignored("the vote names no option of the poll");
        }

        var attributedTo = ActorDocumentParser.Many(note, "attributedTo").Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : ActorDocumentParser.String(a, "id")).FirstOrDefault(a => a is not null);
        if (attributedTo != actorId)
        {
            return new ActivityOutcome.Ignored("the vote is attributed to someone else");
        }

        if (await actors.GetActorAsync(actorId, refresh: false, cancellationToken) is not { } voter)
        {
            return new ActivityOutcome.RetryLater($"cannot fetch voter {actorId}");
        }

        var choices = Enumerable.Range(0, poll.Options.Count).Where(i => poll.Options[i] == name).Take(1).ToList();
        var (outcome, _, _) = await voting.VoteAsync(status, PollVoter.Remote(actorId), choices, voter.DeliveryInbox, cancellationToken);
        return outcome == PollVoteOutcome.Counted ? ActivityOutcome.Done : new ActivityOutcome.Ignored($"the vote is not counted: {outcome}");
    }
}
