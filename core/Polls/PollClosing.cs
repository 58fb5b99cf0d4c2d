using Microsoft.Extensions.Logging;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Polls;

/// <summary>
/// The poll timer's work, every minute: ended polls are closed once, and local polls' new counts go out.
/// <list type="bullet">
/// <item>Closing (Mastodon's PollExpirationNotifyWorker): the author of a local poll and every local voter get the
/// <c>poll</c> notification, and a local poll's final counts go out as an <c>Update</c> of the Question with
/// <c>closed</c> (to the followers and the remote voters' inboxes). An instance claims the poll (ETag) before it
/// works, so two timers never close one poll together; a claim older than <see cref="ClaimTimeout"/> is a dead
/// instance's and is taken over. The work repeats harmlessly: a notification is added once per cause, the Update's id
/// is the poll's close. Storage per poll: 3 point reads + 1 conditional replace + 1 range query (voters) + the
/// notifications (the <see cref="Notifier"/>'s cost each) + for a local poll 1 range query (remote inboxes) and the
/// Update's publication (1 queue send) + 1 merge + 1 delete.</item>
/// <item>Counts (Mastodon's DistributePollUpdateWorker): a vote on a local poll with visible totals asks for an Update
/// <see cref="PollVoting.UpdateDelay"/> later unless one is pending (<see cref="PollStore.RequestUpdateAsync"/>), so
/// a storm of votes makes one Update per poll per three minutes or so, not one per vote. Storage: 1 range query, and
/// per due poll 1 conditional delete + 2 point reads + 1 range query + 1 queue send.</item>
/// </list>
/// </summary>
public sealed class PollClosing(PollStore polls, StatusStore statuses, AccountDirectory directory, Notifier notifier, ActivityPublisher publisher, NoteMapper notes, TimeProvider time, ILogger<PollClosing> logger)
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    public const int PageSize = 100;

    /// <summary>Closes the polls that ended and sends the due counts; answers how many polls it closed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        var ended = await polls.ListEndedAsync(time.GetUtcNow(), PageSize, cancellationToken);
        foreach (var (statusId, endsAt) in ended)
        {
            if (await CloseAsync(statusId, endsAt, cancellationToken))
            {
                closed++;
            }
        }

        foreach (var (statusId, etag) in await polls.ListDueUpdatesAsync(time.GetUtcNow(), cancellationToken))
        {
            if (await polls.TryTakeUpdateAsync(statusId, etag, cancellationToken))
            {
                await SendCountsAsync(statusId, cancellationToken);
            }
        }

        return closed;
    }

    private async Task<bool> CloseAsync(string statusId, DateTimeOffset endsAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = await statuses.GetAsync(statusId, cancellationToken);
        var current = await polls.GetAsync(statusId, cancellationToken);
        if (status is not { DeletedAt: null, Poll: { } poll } || poll.ExpiresAt != endsAt || current is null || current.Value.Tally.ClosedAt is not null)
        {
            // Deleted, not this poll's end (a remote poll's end moved by an Update), or closed before the end row went.
            await polls.DeleteEndAsync(endsAt, statusId, cancellationToken);
            return false;
        }

        if (await polls.TryClaimCloseAsync(statusId, now, ClaimTimeout, cancellationToken) is not { } claimed)
        {
            return false;
        }

        var authorRef = await directory.GetByApiIdAsync(status.AccountId, cancellationToken);
        var author = authorRef?.Local;
        if (authorRef is not null)
        {
            var from = new NotificationSender(authorRef.ActorId, authorRef.ApiId);
            var cause = $"poll-{statusId}";
            if (author is not null)
            {
                await notifier.NotifyAsync(author.Id, NotificationType.Poll, from, statusId, cause, cancellationToken);
            }

            foreach (var voterId in await polls.ListLocalVotersAsync(statusId, cancellationToken))
            {
                await notifier.NotifyAsync(voterId, NotificationType.Poll, from, statusId, cause, cancellationToken);
            }
        }

        if (author is not null)
        {
            var final = claimed.Tally with { ClosedAt = now };
            var inboxes = await polls.ListRemoteVoterInboxesAsync(statusId, cancellationToken);
            await publisher.PublishStatusAsync(author, status, notes.PollUpdate(status, author, final, endsAt), inboxes, skipFollowers: status.Visibility == Visibility.Direct, cancellationToken);
        }

        await polls.MarkClosedAsync(statusId, endsAt, now, cancellationToken);
        logger.LogInformation("Poll of status {StatusId} closed", statusId);
        return true;
    }

    private async Task SendCountsAsync(string statusId, CancellationToken cancellationToken)
    {
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is not { DeletedAt: null, IsLocal: true, Poll: not null } || await polls.GetAsync(statusId, cancellationToken) is not { } current || current.Tally.ClosedAt is not null)
        {
            return;
        }

        if ((await directory.GetByApiIdAsync(status.AccountId, cancellationToken))?.Local is { } author)
        {
            var inboxes = await polls.ListRemoteVoterInboxesAsync(statusId, cancellationToken);
            await publisher.PublishStatusAsync(author, status, notes.PollUpdate(status, author, current.Tally, time.GetUtcNow()), inboxes, skipFollowers: status.Visibility == Visibility.Direct, cancellationToken);
        }
    }
}
