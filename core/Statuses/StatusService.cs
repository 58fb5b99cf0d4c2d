using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Posting and deleting statuses: validate, format, guard, store, count, then enqueue the federation (write, then enqueue).
/// Storage for a post: 2 inserts + counter (1 merge on the author's row as the request read it, + 1 read and 1 merge when it changed since) + the guard
/// that becomes the fan-out (1 queue send first + 1 queue update at the end); no timeline (the author's home, <c>public-local</c> and the
/// hashtags' are the fan-out's first message's: <see cref="StatusSurface.PlaceLocalTimelinesAsync"/>); a poll + 2 writes; per local mention 2 reads (the account) + the notification (2 reads for
/// the <see cref="Notifications.Notifier"/>'s rule + 2 writes); + 3 for the parent's reply count.
/// </summary>
public sealed class StatusService(
    StatusStore statuses,
    AccountStore accounts,
    StatusComposer composer,
    StatusPublisher publisher,
    SnowflakeIds ids,
    InstanceUrls urls,
    TimeProvider time,
    StatusSurface surface,
    ServerlessFedi.Media.MediaService media,
    StatusEditStore edits)
{
    public const int MaxCharacters = StatusComposer.MaxCharacters;

    public async Task<StatusResult> CreateAsync(LocalAccount author, NewStatus request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        var (parent, refusal) = await CheckAsync(author, request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var text = (request.Text ?? "").Trim();
        var spoiler = (request.SpoilerText ?? "").Trim();
        var (formatted, mentions) = await composer.FormatAsync(text, cancellationToken);
        var statusId = request.StatusId ?? ids.Next();
        Quotes.StatusQuote? quote = null;
        if (request.QuotedStatusId is { Length: > 0 } quotedId)
        {
            (quote, var quoteRefusal) = await composer.QuoteAsync(author, quotedId, statusId, cancellationToken);
            if (quoteRefusal is not null)
            {
                return quoteRefusal;
            }
        }

        var (attachments, mediaError) = await media.AttachAsync(author, request.MediaIds, statusId, cancellationToken, request.MediaHeldBy);
        if (mediaError is not null)
        {
            return StatusResult.Invalid(mediaError);
        }

        var status = new Status
        {
            Id = statusId,
            AccountId = author.Id,
            Text = text,
            ContentHtml = formatted.Html,
            SpoilerText = spoiler,
            Sensitive = request.Sensitive || spoiler.Length > 0,
            Visibility = request.Visibility,
            Language = string.IsNullOrEmpty(request.Language) ? null : request.Language,
            InReplyToId = parent?.Id,
            ConversationId = parent?.ConversationRoot,
            InReplyToUri = parent is null ? null : parent.Uri ?? urls.Status((await accounts.GetByIdAsync(parent.AccountId, cancellationToken))?.Username ?? "", parent.Id),
            InReplyToAccountId = parent?.AccountId,
            Mentions = mentions.DistinctBy(m => m.ActorId).ToList(),
            Tags = formatted.Tags,
            CreatedAt = time.GetUtcNow(),
            ApplicationName = request.ApplicationName,
            Media = attachments,
            QuotePolicy = request.QuotePolicy,
            Quote = quote,
        };
        status = status with { Poll = request.Poll?.ToPoll(status.CreatedAt) };

        // The guard goes first: from here on a dying process delays the post, it does not lose it. It and the fan-out carry the audit row.
        var audit = request.Audit is { } prepared ? prepared with { Entry = prepared.Entry with { ObjectId = status.Id } } : null;
        var guard = await publisher.GuardAsync(author.Id, status.Id, audit, cancellationToken);
        await statuses.AddAsync(status, cancellationToken);
        await accounts.AdjustCountersAsync(author, statuses: +1, lastStatusAt: status.CreatedAt, cancellationToken);
        if (parent is not null)
        {
            await statuses.AdjustCountsAsync(parent.Id, replies: +1, cancellationToken: cancellationToken);
        }

        await DistributeAsync(status, author, parent, audit, guard, cancellationToken);
        return StatusResult.Ok(status) with { AuditQueued = audit is not null };
    }

    /// <summary>
    /// What posting <paramref name="request"/> now would refuse before touching anything (text, language, the reply
    /// target; media are checked when claimed): a scheduled status is checked when it is scheduled, as Mastodon does.
    /// Storage: 1 point read for a reply.
    /// </summary>
    public async Task<(Status? Parent, StatusResult? Refusal)> CheckAsync(LocalAccount author, NewStatus request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        var text = (request.Text ?? "").Trim();
        var spoiler = (request.SpoilerText ?? "").Trim();
        if (StatusComposer.Validate(text, spoiler, request.MediaIds is { Count: > 0 }, request.Language) is { } invalid)
        {
            return (null, StatusResult.Invalid(invalid));
        }

        Status? parent = null;
        if (request.InReplyToId is { Length: > 0 } parentId)
        {
            parent = await composer.ReplyTargetAsync(author, parentId, cancellationToken);
            if (parent is null)
            {
                return (null, StatusResult.NotFound("Record not found"));
            }
        }

        return (parent, null);
    }

    /// <summary>
    /// Finishes a stored post whose request died before releasing its guard: everything <see cref="DistributeAsync"/>
    /// does, again (each step is idempotent; remote servers drop a repeated Create by its id). A post that was never
    /// stored (the request failed before, and the app saw the error) or was deleted since is left alone. The counters
    /// moved before the crash stay as they are (they are not recounted). True when the post was stored (finished here or
    /// deleted since): the posting request's write was made.
    /// </summary>
    public async Task<bool> CompleteAsync(string statusId, CancellationToken cancellationToken)
    {
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is not { IsLocal: true })
        {
            return false;
        }

        if (status.DeletedAt is null && await accounts.GetByIdAsync(status.AccountId, cancellationToken) is { } author)
        {
            var parent = status.InReplyToId is { } parentId ? await statuses.GetAsync(parentId, cancellationToken) : null;
            await DistributeAsync(status, author, parent, null, null, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Media out of the clean-up's index, the poll and local mentions (<see cref="StatusSurface.PlaceLocalAsync"/>), then the
    /// fan-out (carrying the request's <paramref name="audit"/> row; the request's <paramref name="guard"/> becomes its first
    /// message, which places the post in its timelines): all idempotent, in that order.
    /// </summary>
    private async Task DistributeAsync(Status status, LocalAccount author, Status? parent, Team.PendingAudit? audit, QueueReceipt? guard, CancellationToken cancellationToken)
    {
        await media.CompleteAttachAsync(status.Media, cancellationToken);
        await surface.PlaceLocalAsync(status, author, cancellationToken);

        await publisher.PublishCreateAsync(status, author, parent, cancellationToken, audit, guard);
    }

    /// <summary>
    /// Deletes the author's own status; answers the deleted status (its text and media let apps offer "delete and redraft").
    /// Its media (every version's) are deleted with it when <paramref name="deleteMedia"/>, else left unattached for a day
    /// so a redraft can attach them again (Mastodon 4.4's <c>delete_media</c>).
    /// </summary>
    public async Task<StatusResult> DeleteAsync(LocalAccount author, string statusId, bool deleteMedia, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null || status.AccountId != author.Id)
        {
            return StatusResult.NotFound("Record not found");
        }

        var deletedAt = time.GetUtcNow();
        await statuses.MarkDeletedAsync(status, deletedAt, cancellationToken);

        // Media an edit removed is still held by an older version: it goes with the status too (1 range query when edited).
        var held = status.Media.ToList();
        if (status.EditedAt is not null)
        {
            foreach (var version in await edits.ListAsync(status.Id, cancellationToken))
            {
                held.AddRange(version.Media.Where(m => held.TrueForAll(h => h.Id != m.Id)));
            }
        }

        if (deleteMedia)
        {
            await media.DeleteForStatusAsync(status with { Media = held }, cancellationToken);
        }
        else
        {
            await media.KeepForRedraftAsync(status, held, cancellationToken);
        }

        await accounts.AdjustCountersAsync(author.Id, statuses: -1, cancellationToken: cancellationToken);
        if (status.InReplyToId is { } parentId)
        {
            await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
        }

        await publisher.PublishDeleteAsync(status, author, cancellationToken);
        return StatusResult.Ok(status with { DeletedAt = deletedAt });
    }
}
