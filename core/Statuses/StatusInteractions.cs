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
/// status they notify its author (<see cref="Notifier"/>), on a remote one Like, Announce or Undo goes to its author's
/// server (a boost also to the booster's followers).
/// Storage (local action): 1-2 point reads (status) + visibility + 1-2 (author) + 1-2 writes (the mark) + for a boost
/// <see cref="InteractionEffects.ApplyAsync"/> and 1 queue send (the Announce); a favourite 1 queue send instead
/// (<see cref="FavouriteAsync"/>); pins + 1 range query (the limit).
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
    /// Favourites a status the account can see. The answer shows <c>favourited</c> and the count with this favourite; the rest
    /// (the record among the status's favourites, the notification or the Like, the stored count) is left to the queue
    /// (<see cref="FavouriteMessage"/>), sent first so that a process dying after the answer leaves it to be done.
    /// Storage: the target (1 status read + visibility + the author) + 1 queue send + 1 insert (the mark); a repeat + 1 read
    /// (whether the queue has counted it yet, so its answer shows the count with it either way).
    /// </summary>
    public async Task<StatusResult> FavouriteAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (status, author) = target.Value;
        await effects.QueueFavouriteAsync(me.Id, status.Id, cancellationToken);
        var likeId = builder.Like(me, UriOf(status, author))["id"]!.GetValue<string>();
        var counted = !await interactions.MarkAsync(me.Id, status.Id, InteractionKind.Favourite, likeId, cancellationToken)
            && await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Favourite, urls.Actor(me.Username), cancellationToken);
        return StatusResult.Ok(counted ? status : status with { FavouritesCount = status.FavouritesCount + 1 });
    }

    /// <summary>
    /// The queue's part of a local account's favourite (<see cref="FavouriteAsync"/>): applied once, unless the favourite
    /// was undone meanwhile or the account or the status is gone. The account, 1 status read, the author, 1 read (the mark)
    /// + <see cref="InteractionEffects.ApplyAsync"/>.
    /// </summary>
    public async Task ApplyFavouriteAsync(FavouriteMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await directory.GetByApiIdAsync(message.AccountId, cancellationToken) is not { Local: { } me }
            || await statuses.GetAsync(message.StatusId, cancellationToken) is not { DeletedAt: null } status
            || await directory.GetByApiIdAsync(status.AccountId, cancellationToken) is not { } author
            || !await interactions.IsMarkedAsync(me.Id, status.Id, InteractionKind.Favourite, cancellationToken))
        {
            return;
        }

        var like = builder.Like(me, UriOf(status, author));
        await effects.ApplyAsync(InteractionKind.Favourite, status, Sender(me), like["id"]!.GetValue<string>(),
            status.IsLocal ? null : () => publisher.SendAsync(me, like, author.DeliveryInbox!, cancellationToken), cancellationToken);
    }

    public async Task<StatusResult> UnfavouriteAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (status, author) = target.Value;
        var (removed, _) = await interactions.RemoveAsync(InteractionKind.Favourite, status.Id, urls.Actor(me.Username), me.Id, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Favourite, urls.Actor(me.Username), cancellationToken))
        {
            if (author.Remote is not null)
            {
                await publisher.SendAsync(me, builder.Undo(me, builder.Like(me, UriOf(status, author))), author.DeliveryInbox!, cancellationToken);
            }

            status = WithCounts(status, await interactions.Counts.ApplyAsync(status.Id, InteractionKind.Favourite, urls.Actor(me.Username), -1, cancellationToken, removedNow: removed));
        }

        return StatusResult.Ok(status);
    }

    /// <summary>Boosts a public or unlisted status (422 otherwise); the result names the Announce, which the API's answer shows as the boost's URI.</summary>
    public async Task<ReblogResult> ReblogAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return new ReblogResult(failure!, null);
        }

        var (status, author) = target.Value;
        if (!NoteMapper.IsPubliclyReadable(status))
        {
            return new ReblogResult(StatusResult.Invalid("Validation failed: Reblog of a private or direct status is not allowed"), null);
        }

        var announce = builder.Announce(me, UriOf(status, author), author.ActorId, time.GetUtcNow());
        var announceId = announce["id"]!.GetValue<string>();
        await interactions.MarkAsync(me.Id, status.Id, InteractionKind.Reblog, announceId, cancellationToken);
        // Followers' servers and the author's server learn of the boost.
        if (await effects.ApplyAsync(InteractionKind.Reblog, status, Sender(me), announceId,
            () => publisher.PublishAsync(me, announce, author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken), cancellationToken))
        {
            status = status with { ReblogsCount = status.ReblogsCount + 1 };
        }

        return new ReblogResult(StatusResult.Ok(status), announceId);
    }

    public async Task<StatusResult> UnreblogAsync(LocalAccount me, string statusId, CancellationToken cancellationToken)
    {
        var (target, failure) = await TargetAsync(me, statusId, cancellationToken);
        if (target is null)
        {
            return failure!;
        }

        var (status, author) = target.Value;
        var (removed, _) = await interactions.RemoveAsync(InteractionKind.Reblog, status.Id, urls.Actor(me.Username), me.Id, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(status.Id, InteractionKind.Reblog, urls.Actor(me.Username), cancellationToken))
        {
            var announce = builder.Announce(me, UriOf(status, author), author.ActorId, time.GetUtcNow());
            await publisher.PublishAsync(me, builder.Undo(me, announce), author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken);
            status = WithCounts(status, await interactions.Counts.ApplyAsync(status.Id, InteractionKind.Reblog, urls.Actor(me.Username), -1, cancellationToken, removedNow: removed));
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
        var status = urls.StatusIdOf(objectId) is { } statusId ? await statuses.GetAsync(statusId, cancellationToken) : null;
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

    /// <summary>A remote actor's Like or Announce of a local status (checked by <see cref="ReceivableAsync"/>): <see cref="InteractionEffects.ApplyAsync"/>.</summary>
    public Task ReceiveAsync(InteractionKind kind, Status status, string actorId, string activityId, CancellationToken cancellationToken) =>
        effects.ApplyAsync(kind, status, NotificationSender.Remote(actorId), activityId, null, cancellationToken);

    /// <summary>A remote actor's Undo of its Like or Announce of a local status: the record goes and the count drops once (1 delete + the count; a repeat 1 read).</summary>
    public async Task ReceiveUndoAsync(InteractionKind kind, string? objectId, string actorId, CancellationToken cancellationToken)
    {
        if (urls.StatusIdOf(objectId) is not { } statusId)
        {
            return;
        }

        var (removed, _) = await interactions.RemoveAsync(kind, statusId, actorId, null, cancellationToken);
        if (removed || await interactions.Counts.IsCountedAsync(statusId, kind, actorId, cancellationToken))
        {
            await interactions.Counts.ApplyAsync(statusId, kind, actorId, -1, cancellationToken, removedNow: removed);
        }
    }

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

    /// <summary>The ActivityPub id of a status (ours, or the remote one it came with).</summary>
    private string UriOf(Status status, AccountRef author) => status.Uri ?? urls.Status(author.Local!.Username, status.Id);

    private NotificationSender Sender(LocalAccount me) => new(urls.Actor(me.Username), me.Id);
}
