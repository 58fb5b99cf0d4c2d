using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Favourites, boosts, bookmarks and pins (docs: methods/statuses), by local accounts through the API and by remote actors
/// through Like and Announce. A local account acting on a boost acts on the boosted status; it must be able to see the
/// status (else 404). Repeating an action changes nothing. Favourites and boosts move the status's counts; on a local
/// status they notify its author (<see cref="InteractionEffects"/>, through the queue for a local account's), on a remote one
/// Like, Announce or Undo goes to its author's server (a boost also to the booster's followers).
/// Storage (local action): 1-2 point reads (status) + visibility + 1-2 (author) + 1-2 writes (the mark; a remote status's
/// favourite or boost also the record, a local one's record is its queue message's) + for favourites and
/// boosts the count (<see cref="InteractionCountStore"/>) and a notification or 1 queue send; pins + 1 range query (the
/// limit). A favourite costs less: <see cref="FavouriteAsync"/>.
/// </summary>
public sealed class StatusInteractions(
    StatusStore statuses,
    InteractionStore interactions,
    StatusVisibility visibility,
    AccountDirectory directory,
    FollowerStore followers,
    InteractionEffects effects,
    ActivityBuilder builder,
    ActivityPublisher publisher,
    InstanceUrls urls,
    TimeProvider time)
{
    /// <summary>Pinned posts per account, as Mastodon allows (the instance advertises it as <c>max_pinned_statuses</c>).</summary>
    public const int MaxPins = InteractionStore.MaxPins;

    /// <summary>
    /// Favourites a status the account can see. The account's mark (<c>favourited</c>) and the stored count are written
    /// here, as Mastodon shows them at once; for a local status the favourite's record (<c>favourited_by</c>), the author's
    /// notification and the counts on the author's list of statuses follow from the queue
    /// (<see cref="InteractionEffects.QueueFavouriteAsync"/>), sent before the count so a counted favourite has them on
    /// their way, and with them the request's <paramref name="audit"/> row (the result says so:
    /// <see cref="StatusResult.AuditQueued"/>); for a remote one the record is written here and the Like is sent.
    /// Storage: the status and its author (<see cref="CountableTargetAsync"/>) + 1 insert (the mark) + 1 queue send +
    /// 1 transaction (the count, <see cref="InteractionCountStore.AddAsync"/>); a remote status's + 1 insert (the record)
    /// + 1 merge (the copied counts); a repeat 1-2 failed inserts + 1 read.
    /// </summary>
    public async Task<StatusResult> FavouriteAsync(LocalAccount me, string statusId, CancellationToken cancellationToken, Team.PendingAudit? audit = null)
    {
        var (target, failure) = await CountableTargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (read, author) = target.Value;
        var status = read.Status;
        var like = builder.Like(me, UriOf(status, author));
        var likeId = like["id"]!.GetValue<string>();
        var queued = false;
        if (await UncountedAsync(InteractionKind.Favourite, status.Id, urls.Actor(me.Username), me.Id, likeId, recordQueued: author.Local is not null, cancellationToken))
        {
            if (author.Local is not null)
            {
                queued = audit is not null;
                await effects.QueueFavouriteAsync(Sender(me), status.Id, likeId, audit is null ? null : audit with { Entry = audit.Entry with { ObjectId = status.Id } }, cancellationToken);
            }
            else
            {
                await publisher.SendAsync(me, like, author.DeliveryInbox!, cancellationToken);
            }

            // A local status's copied counts are the queue's.
            status = WithCounts(status, await interactions.Counts.AddAsync(read, InteractionKind.Favourite, urls.Actor(me.Username), copy: author.Local is null, cancellationToken));
        }

        return StatusResult.Ok(status) with { AuditQueued = queued };
    }

    /// <summary>
    /// Takes back the account's favourite: mark and record deleted (the record may not be written yet: its queue message
    /// then finds the mark gone and deletes it again), the Undo sent to a remote author, the count dropped once.
    /// Storage: the status and its author (<see cref="CountableTargetAsync"/>) + 2 deletes + 1 transaction and
    /// 1 merge (the count and its copy, <see cref="InteractionCountStore.RemoveAsync"/>) + 1 queue send for a remote
    /// status; when there was nothing to remove, 1 read (counted?).
    /// </summary>
    public async Task<StatusResult> UnfavouriteAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await CountableTargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (read, author) = target.Value;
        var status = read.Status;
        var removed = await interactions.RemoveAsync(InteractionKind.Favourite, status.Id, urls.Actor(me.Username), me.Id, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Favourite, urls.Actor(me.Username), cancellationToken))
        {
            if (author.Remote is not null)
            {
                await publisher.SendAsync(me, builder.Undo(me, builder.Like(me, UriOf(status, author))), author.DeliveryInbox!, cancellationToken);
            }

            status = WithCounts(status, await interactions.Counts.RemoveAsync(read, InteractionKind.Favourite, urls.Actor(me.Username), removed, cancellationToken));
        }

        return StatusResult.Ok(status);
    }

    /// <summary>
    /// Boosts a public or unlisted status (422 otherwise); the result names the Announce, which the API's answer shows as
    /// the boost's URI. For a local author the boost's record (<c>reblogged_by</c>, an edit's boosters), the author's
    /// notification and the counts on the author's list of statuses ride in the Announce's fan-out message
    /// (<see cref="LocalBoost"/>, <see cref="InteractionEffects.ApplyBoostAsync"/>), sent before the count as a favourite's
    /// message is, with the request's <paramref name="audit"/> row. Storage: the status and its author (<see cref="CountableTargetAsync"/>) +
    /// 1 insert (the mark) + 1 queue send (the Announce's publication) + 1 transaction (the count,
    /// <see cref="InteractionCountStore.AddAsync"/>); a remote status's + 1 insert (the record) + 1 merge (the copied counts).
    /// </summary>
    public async Task<ReblogResult> ReblogAsync(LocalAccount me, string statusId, CancellationToken cancellationToken, Team.PendingAudit? audit = null)
    {
        var (target, failure) = await CountableTargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return new ReblogResult(failure!, null);
        }

        var (read, author) = target.Value;
        var status = read.Status;
        if (!NoteMapper.IsPubliclyReadable(status))
        {
            return new ReblogResult(StatusResult.Invalid("Validation failed: Reblog of a private or direct status is not allowed"), null);
        }

        var announce = builder.Announce(me, UriOf(status, author), author.ActorId, time.GetUtcNow());
        var announceId = announce["id"]!.GetValue<string>();
        LocalBoost? boost = null;
        if (await UncountedAsync(InteractionKind.Reblog, status.Id, urls.Actor(me.Username), me.Id, announceId, recordQueued: author.Local is not null, cancellationToken))
        {
            // Followers' servers and the author's server learn of the boost; a local author's record, notification and
            // copied counts, and the request's audit row, ride in the same message, sent before the count.
            boost = author.Local is null ? null : new LocalBoost(urls.Actor(me.Username), status.Id, announceId,
                audit is null ? null : audit with { Entry = audit.Entry with { ObjectId = ReblogResult.WrapperId(audit.Entry.At, announceId) } });
            await publisher.PublishAsync(me, announce, author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken, boost);
            status = WithCounts(status, await interactions.Counts.AddAsync(read, InteractionKind.Reblog, urls.Actor(me.Username), copy: boost is null, cancellationToken));
        }

        return new ReblogResult(StatusResult.Ok(status) with { AuditQueued = boost?.Audit is not null }, announceId);
    }

    /// <summary>
    /// Takes back the account's boost: as <see cref="UnfavouriteAsync"/>, with the Undo of the Announce published to the
    /// booster's followers and a remote author's server.
    /// </summary>
    public async Task<StatusResult> UnreblogAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await CountableTargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (read, author) = target.Value;
        var status = read.Status;
        var removed = await interactions.RemoveAsync(InteractionKind.Reblog, status.Id, urls.Actor(me.Username), me.Id, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Reblog, urls.Actor(me.Username), cancellationToken))
        {
            var announce = builder.Announce(me, UriOf(status, author), author.ActorId, time.GetUtcNow());
            await publisher.PublishAsync(me, builder.Undo(me, announce), author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken);
            status = WithCounts(status, await interactions.Counts.RemoveAsync(read, InteractionKind.Reblog, urls.Actor(me.Username), removed, cancellationToken));
        }

        return StatusResult.Ok(status);
    }

    /// <summary>Bookmarks (<paramref name="on"/>) or unbookmarks a status the account can see.</summary>
    public Task<StatusResult> BookmarkAsync(LocalAccount me, string statusId, bool on, CancellationToken cancellationToken) =>
        MarkAsync(me, statusId, InteractionKind.Bookmark, on, cancellationToken);

    /// <summary>Pins one of the account's own public or unlisted statuses, at most <see cref="MaxPins"/> (422 otherwise).</summary>
    public async Task<StatusResult> PinAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var status = target.Value.Status;
        if (status.AccountId != me.Id || !NoteMapper.IsPubliclyReadable(status))
        {
            return StatusResult.Invalid("Validation failed: Only your own public or unlisted posts can be pinned");
        }

        if ((await interactions.ListMarkedAsync(me.Id, InteractionKind.Pin, null, MaxPins + 1, cancellationToken)) is { Count: >= MaxPins } pins && !pins.Contains(status.Id))
        {
            return StatusResult.Invalid($"Validation failed: You can pin at most {MaxPins} posts");
        }

        await interactions.AddAsync(InteractionKind.Pin, status.Id, urls.Actor(me.Username), me.Id, me.Id, null, cancellationToken);
        return StatusResult.Ok(status);
    }

    public Task<StatusResult> UnpinAsync(LocalAccount me, string statusId, CancellationToken cancellationToken) =>
        MarkAsync(me, statusId, InteractionKind.Pin, on: false, cancellationToken);

    /// <summary>
    /// The local status a remote actor's Like or Announce names, when the actor may act on it: it exists, a boost is of a
    /// public or unlisted status, and a private or direct status is liked only by its audience (the mentioned, and for
    /// private the author's followers). Otherwise the reason it is refused. 1-2 point reads (+1 for a private status).
    /// </summary>
    public async Task<(Status? Status, string? Refusal)> ReceivableAsync(InteractionKind kind, string? objectId, string actorId, CancellationToken cancellationToken)
    {
        // Recent: a status deleted on another instance in the last seconds may still take a Like; its count and
        // notification then belong to a tombstone, which nothing shows.
        var status = urls.StatusIdOf(objectId) is { } statusId ? (await statuses.GetManyRecentAsync([statusId], cancellationToken)) is [var one] ? one : null : null;
        if (status is null || status.DeletedAt is not null || !status.IsLocal)
        {
            return (null, "its object is not a local status");
        }

        if (kind == InteractionKind.Reblog && !NoteMapper.IsPubliclyReadable(status))
        {
            return (null, "private and direct statuses cannot be boosted");
        }

        if (!NoteMapper.IsPubliclyReadable(status) && !status.Mentions.Any(m => m.ActorId == actorId)
            && !(status.Visibility == Visibility.Private && await followers.IsFollowerAsync(status.AccountId, actorId, cancellationToken)))
        {
            return (null, "the actor is not in the status's audience");
        }

        return (status, null);
    }

    /// <summary>
    /// A remote actor's Like or Announce of a local status (checked by <see cref="ReceivableAsync"/>): recorded once with
    /// its activity id, its author notified, counted. A retry after a failure part way finds it recorded but not counted and
    /// applies both again (the notification and the count each happen once). 1 insert + the notification + the count
    /// (<see cref="InteractionCountStore"/>); a repeat 1 failed insert + 1 read.
    /// </summary>
    public async Task ReceiveAsync(InteractionKind kind, Status status, string actorId, string activityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (await UncountedAsync(kind, status.Id, actorId, null, activityId, recordQueued: false, cancellationToken))
        {
            await effects.NotifyAsync(kind, status.AccountId, NotificationSender.Remote(actorId), status.Id, activityId, cancellationToken);
            await interactions.Counts.ApplyAsync(status.Id, kind, actorId, +1, cancellationToken);
        }
    }

    /// <summary>A remote actor's Undo of its Like or Announce of a local status: the record goes and the count drops once (1 delete + the count; a repeat 1 read).</summary>
    public async Task ReceiveUndoAsync(InteractionKind kind, string? objectId, string actorId, CancellationToken cancellationToken)
    {
        if (urls.StatusIdOf(objectId) is not { } statusId)
        {
            return;
        }

        var removed = await interactions.RemoveAsync(kind, statusId, actorId, null, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(statusId, kind, actorId, cancellationToken))
        {
            await interactions.Counts.ApplyAsync(statusId, kind, actorId, -1, cancellationToken, removedNow: removed);
        }
    }

    /// <summary>
    /// Records the favourite or reblog; true when its effects (notification or delivery, then the count) are still to be
    /// applied: it is new, or it was recorded by an attempt that failed before counting it (its effects come before the
    /// count, so a counted one has had them). With <paramref name="recordQueued"/> (a local account's favourite or boost of
    /// a local status) only the account's mark is written, and its insert decides newness: the record is the queue
    /// message's (<see cref="InteractionEffects"/>). 1-2 inserts; not new + 1 read (counted?).
    /// </summary>
    private async Task<bool> UncountedAsync(InteractionKind kind, string statusId, string actorId, string? localAccountId, string activityId, bool recordQueued, CancellationToken cancellationToken) =>
        await (recordQueued
            ? interactions.AddMarkAsync(kind, statusId, localAccountId!, activityId, cancellationToken)
            : interactions.AddAsync(kind, statusId, actorId, localAccountId ?? RemoteAccountIds.For(actorId), localAccountId, activityId, cancellationToken))
        || !await interactions.Counts.IsCountedAsync(statusId, kind, actorId, cancellationToken);

    private static Status WithCounts(Status status, (long Favourites, long Reblogs)? counts) =>
        counts is { } c ? status with { FavouritesCount = c.Favourites, ReblogsCount = c.Reblogs } : status;

    private async Task<StatusResult> MarkAsync(LocalAccount me, string statusId, InteractionKind kind, bool on, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var status = target.Value.Status;
        if (on)
        {
            await interactions.AddAsync(kind, status.Id, urls.Actor(me.Username), me.Id, me.Id, null, cancellationToken);
        }
        else
        {
            await interactions.RemoveAsync(kind, status.Id, urls.Actor(me.Username), me.Id, cancellationToken);
        }

        return StatusResult.Ok(status);
    }

    /// <summary>The status acted on (the boosted one for a boost) and its author, or 404 when missing or not visible to <paramref name="me"/>.</summary>
    private async Task<((Status Status, AccountRef Author)? Target, StatusResult? Failure)> TargetAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status?.ReblogOfId is { } originalId)
        {
            status = await statuses.GetAsync(originalId, cancellationToken);
        }

        var author = status is null || !await visibility.CanSeeAsync(status, me, cancellationToken) ? null : await directory.GetByApiIdAsync(status.AccountId, cancellationToken);
        return author is null ? (null, StatusResult.NotFound("Record not found")) : ((status!, author), null);
    }

    /// <summary>
    /// As <see cref="TargetAsync"/> for a favourite or boost and their undoing: the status as read for counting in the same
    /// request (its ETag and whether count changes wait, <see cref="InteractionCountStore.ReadAsync"/>: 1-2 range queries)
    /// and its author from the process's recent copy (its id, username and inbox do not change with the interaction).
    /// </summary>
    private async Task<((CountableStatus Read, AccountRef Author)? Target, StatusResult? Failure)> CountableTargetAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(me);
        var read = await interactions.Counts.ReadAsync(statusId, cancellationToken);
        if (read?.Status.ReblogOfId is { } originalId)
        {
            read = await interactions.Counts.ReadAsync(originalId, cancellationToken);
        }

        var author = read is null || !await visibility.CanSeeAsync(read.Status, me, cancellationToken) ? null : await directory.GetRecentByApiIdAsync(read.Status.AccountId, cancellationToken);
        return author is null ? (null, StatusResult.NotFound("Record not found")) : ((read!, author), null);
    }

    /// <summary>The ActivityPub id of a status (ours, or the remote one it came with).</summary>
    private string UriOf(Status status, AccountRef author) => status.Uri ?? urls.Status(author.Local!.Username, status.Id);

    private NotificationSender Sender(LocalAccount me) => new(urls.Actor(me.Username), me.Id);
}
